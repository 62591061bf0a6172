import HostConfig

extension HostSpec {
  /// The `boot:` block: what virthost is told about the boot loader where it cannot read it.
  public struct Boot: Sendable, Equatable {
    /// `boot.proxmox_mode`: the boot loader `proxmox-boot-tool` runs on the ESPs, for a root
    /// whose ESPs cannot be read (see ``ProxmoxBoot/Declaration``); `nil` when not set.
    public var proxmoxMode: ProxmoxBoot.Mode?

    /// Creates a boot block.
    public init(proxmoxMode: ProxmoxBoot.Mode? = nil) { self.proxmoxMode = proxmoxMode }
  }

  /// `boot:`, or `nil` when absent.
  public var boot: Boot? {
    get { section("boot") }
    set { sections["boot"] = newValue }
  }

  /// The declaration the planner binds while it reads the boot loader: `boot.proxmox_mode`
  /// and its place in the file.
  var proxmoxDeclaration: ProxmoxBoot.Declaration? {
    guard let mode = boot?.proxmoxMode else { return nil }
    let place = location(of: "boot.proxmox_mode").map { " (\($0))" } ?? ""
    return ProxmoxBoot.Declaration(mode: mode, setting: "boot.proxmox_mode: \(mode.rawValue)\(place)")
  }
}

extension HostSpec.Boot: FeatureSection {}
