import HostConfig
import Yams

/// `libvirt: {daemons: auto|monolithic|modular, qemu: {KEY: VALUE, ...}}`: which of libvirt's
/// daemon layouts runs (``LibvirtDaemons``, through the services sink), and settings of libvirt's
/// QEMU driver in `/etc/libvirt/qemu.conf`, edited in place through libvirt's own lens from the
/// root (``QemuConfProvider``). See docs/libvirt.md.
///
/// The parse checks the shape (a key in qemu.conf's spelling, a scalar or a list of scalars);
/// which keys qemu.conf has and their types come from the host's lens, so the provider judges
/// them, placed at their key in host.yaml.
enum LibvirtFeature: Feature {
  static let keys = ["libvirt"]

  /// One `libvirt.qemu` setting, as written.
  struct QemuSetting: Equatable, Sendable {
    /// The key, in qemu.conf's spelling (`max_files`).
    var key: String
    /// The value as written: a scalar's text, or a list's items.
    var value: QemuConfValue
  }

  /// `daemons`, as written.
  enum Daemons: String, CaseIterable, Sendable {
    /// The family's default among the installed modes (``LibvirtDaemons/automatic``).
    case auto
    /// `libvirtd`.
    case monolithic
    /// `virtqemud` and its sockets.
    case modular
  }

  /// The block.
  struct Section: FeatureSection, Equatable {
    /// `daemons`: `nil` leaves libvirt's daemons unmanaged.
    var daemons: Daemons?
    /// `qemu`: the settings, in the order written.
    var qemu: [QemuSetting] = []
  }

  /// The key path of the settings.
  static let qemuKey = "libvirt.qemu"
  /// The key path of the daemons' mode.
  static let daemonsKey = "libvirt.daemons"

  /// Every problem of the block is placed at its key (a qemu.conf key the lens does not know).
  static let placesItsProblems = true

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    var section = Section()
    for (name, _, block) in reader.entries(value, key, known: ["daemons", "qemu"]) {
      if name == "daemons" {
        section.daemons = reader.choice(block, daemonsKey, Daemons.self)
        continue
      }
      for (name, keyNode, item) in reader.entries(block, qemuKey, known: nil) {
        let path = "\(qemuKey).\(name)"
        guard isSettingName(name) else {
          reader.error(keyNode, path, "is not a qemu.conf setting name (lowercase letters, digits and _)")
          continue
        }
        if item.sequence != nil {
          let items = reader.list(item, path).map(\.0)
          if items.count == item.sequence?.count { section.qemu.append(.init(key: name, value: .list(items))) }
        } else if let text = reader.scalar(item, path) {
          section.qemu.append(.init(key: name, value: .scalar(text)))
        }
      }
    }
    spec.sections[key] = section
  }

  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { spec.libvirt == nil ? [] : [.libvirtDaemons] }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let libvirt = expansion.spec.libvirt else { return [] }
    if let daemons = libvirt.daemons, let mode = expansion.libvirtMode(daemons) {
      wants.services += daemonIntents(mode, written: daemons)
      wants.qemuDaemon = LibvirtDaemons.qemuDaemon(mode)
    } else if libvirt.daemons == nil, let mode = expansion.libvirtDaemons?.automatic {
      // Unmanaged daemons: the one the family runs is the one restarted.
      wants.qemuDaemon = LibvirtDaemons.qemuDaemon(mode)
    }
    guard !libvirt.qemu.isEmpty else { return [] }
    wants.restartTriggers.append(.init(path: QemuConf.path, origin: qemuKey))
    let spec = expansion.spec
    let locations = Dictionary(
      libvirt.qemu.compactMap { setting in
        spec.location(of: "\(qemuKey).\(setting.key)").map { (setting.key, $0) }
      }, uniquingKeysWith: { first, _ in first })
    return [QemuConfProvider(settings: libvirt.qemu, locations: locations)]
  }

  /// qemu.conf's keys: lowercase letters, digits and `_`, starting with a letter.
  static func isSettingName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
  }
}

extension HostSpec {
  /// `libvirt:`, or `nil` when absent.
  var libvirt: LibvirtFeature.Section? { section("libvirt") }
}
