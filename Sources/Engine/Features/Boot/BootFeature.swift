import HostConfig
import Yams

/// `boot: {proxmox_mode}`: what the admin tells virthost about the boot loader where its files
/// cannot tell it. It plans nothing of its own: the planner binds the declaration while the
/// boot loader is read (``ProxmoxBoot/declared``).
enum BootFeature: Feature {
  static let keys = ["boot"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    var boot = HostSpec.Boot()
    for (name, _, item) in reader.entries(value, "boot", known: ["proxmox_mode"]) where name == "proxmox_mode" {
      boot.proxmoxMode = reader.choice(item, "boot.proxmox_mode", ProxmoxBoot.Mode.self)
    }
    spec.boot = boot
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] { [] }
}
