import Augeas
import RootFS

/// systemd units and their enablement links under `/etc/systemd/system`, as `systemctl
/// is-enabled` reads them; unit files are parsed with the Systemd lens.
///
/// Reading only: the links `systemctl enable|disable` would make are planned by the service editor.
public struct SystemdServices: Sendable {
  /// Where units are looked for, first match wins (systemd's search path, without the runtime-only folders).
  public static let unitDirectories = [
    "/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
    "/lib/systemd/system",
  ]
  /// Where `systemctl enable` writes its links.
  public static let configDirectory = "/etc/systemd/system"
  /// The folder suffixes of dependency links.
  static let dependencySuffixes = [".wants", ".requires", ".upholds"]
  static let unitSuffixes = [
    ".service", ".socket", ".target", ".timer", ".path", ".mount", ".automount", ".swap", ".slice", ".scope",
    ".device",
  ]
  static let lens = "Systemd.lns"

  /// A unit found on the search path.
  public struct Unit: Sendable {
    /// `ksm.service`.
    public var name: String
    /// Where it was found (`/lib/systemd/system/ksm.service`): the text of the links to it.
    public var path: String
    /// The mask link (`/etc/systemd/system/ksm.service`) when the unit is masked.
    public var maskedBy: String?
  }

  /// The `[Install]` section.
  public struct Install: Sendable {
    public var wantedBy: [String] = []
    public var requiredBy: [String] = []
    public var upheldBy: [String] = []
    public var alias: [String] = []
    public var also: [String] = []
    /// Whether the section names nothing: the unit is static.
    public var isEmpty: Bool {
      wantedBy.isEmpty && requiredBy.isEmpty && upheldBy.isEmpty && alias.isEmpty && also.isEmpty
    }
  }

  /// The root read.
  public let root: HostRoot

  /// The units of `root`.
  public init(root: HostRoot) {
    self.root = root
  }

  /// `ksm` → `ksm.service`; a name with a unit suffix stays as it is.
  public static func unitName(_ name: String) -> String {
    unitSuffixes.contains(where: name.hasSuffix) ? name : name + ".service"
  }

  /// The unit `name`, or `nil` when no folder of the search path has it.
  public func find(_ name: String) -> Unit? {
    let unit = Self.unitName(name)
    for directory in Self.unitDirectories {
      let path = directory + "/" + unit
      guard root.exists(path) else { continue }
      if root.resolve(path) == "/dev/null" || root.linkText(path) == "/dev/null" {
        return Unit(name: unit, path: path, maskedBy: path)
      }
      return Unit(name: unit, path: path, maskedBy: nil)
    }
    return nil
  }

  /// The unit's `[Install]` section, read through the root and parsed with the Systemd lens.
  /// - Throws: ``ServiceConfigError/unreadable(_:)`` or ``ServiceConfigError/unparsable(file:_:)``.
  public func install(_ unit: Unit) throws(ServiceConfigError) -> Install {
    let file = root.resolve(unit.path) ?? unit.path
    let text: String
    do {
      text = try root.text(file) ?? ""
    } catch {
      throw .unreadable(error)
    }
    do {
      let tree = try AugeasTree(root: "/", transforms: [])
      try tree.parseText(text, lens: Self.lens, into: "/unit")
      func values(_ key: String) throws(AugeasError) -> [String] {
        var result: [String] = []
        for node in try tree.match("/unit/Install/\(key)/value") {
          if let value = try tree.get(node) { result.append(value) }
        }
        return result
      }
      return Install(
        wantedBy: try values("WantedBy"), requiredBy: try values("RequiredBy"), upheldBy: try values("UpheldBy"),
        alias: try values("Alias"), also: try values("Also"))
    } catch {
      throw .unparsable(file: file, error)
    }
  }

  /// The enablement links that exist for `unit`: in dependency folders, named like it; at the top, its aliases.
  public func links(_ unit: Unit, install: Install) -> [(path: String, text: String)] {
    var found: [(String, String)] = []
    let top = Self.configDirectory
    for entry in root.listIfPresent(top, includingHidden: true) {
      let folder = top + "/" + entry
      if Self.dependencySuffixes.contains(where: entry.hasSuffix), root.isDirectory(folder) {
        if let text = root.linkText(folder + "/" + unit.name) { found.append((folder + "/" + unit.name, text)) }
      } else if install.alias.contains(entry), entry != unit.name, let text = root.linkText(folder),
        pointsTo(folder, unit)
      {
        found.append((folder, text))
      }
    }
    return found
  }

  /// Whether the link at `link` leads to `unit` (through the root, or by its name).
  public func pointsTo(_ link: String, _ unit: Unit) -> Bool {
    root.resolve(link) == root.resolve(unit.path) || root.linkText(link)?.hasSuffix("/" + unit.name) == true
  }

  /// The unit's enablement, as `systemctl is-enabled` would say it.
  /// - Throws: ``ServiceConfigError`` when the unit file cannot be read or parsed.
  public func state(_ name: String) throws(ServiceConfigError) -> ServiceState {
    guard let unit = find(name) else {
      return ServiceState(name: name, exists: false, enabled: false, masked: false, detail: "not found")
    }
    if let mask = unit.maskedBy {
      return ServiceState(
        name: name, exists: true, enabled: false, masked: true, detail: "masked (\(mask) -> /dev/null)")
    }
    let install = try install(unit)
    let links = links(unit, install: install)
    if links.isEmpty {
      return ServiceState(
        name: name, exists: true, enabled: false, masked: false,
        detail: install.isEmpty ? "static (no [Install] section)" : "disabled")
    }
    let places = links.map { link in
      let parts = link.path.split(separator: "/").map(String.init)
      let folder = parts.dropLast().joined(separator: "/")
      return "/" + folder == Self.configDirectory ? "alias " + parts[parts.count - 1] : parts[parts.count - 2]
    }
    return ServiceState(
      name: name, exists: true, enabled: true, masked: false, detail: "enabled (\(places.joined(separator: ", ")))")
  }
}
