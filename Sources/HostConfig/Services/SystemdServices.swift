import Augeas
import RootFS

/// systemd units and their enablement links under `/etc/systemd/system`, as `systemctl
/// is-enabled` reads them; unit files are parsed with the Systemd lens.
///
/// Reading only: the links `systemctl enable|disable` would make are planned by the service editor.
public struct SystemdServices: Sendable {
  /// Where units are looked for, first match wins, on a root of no known family (RHEL's
  /// systemctl: `/usr/lib` first, `/lib` kept as a fallback).
  public static let unitDirectories = unitDirectories(for: .rhel)
  /// Where `systemctl enable` writes its links.
  public static let configDirectory = "/etc/systemd/system"
  /// The folder suffixes of dependency links.
  static let dependencySuffixes = [".wants", ".requires", ".upholds"]
  static let unitSuffixes = [
    ".service", ".socket", ".target", ".timer", ".path", ".mount", ".automount", ".swap", ".slice", ".scope",
    ".device",
  ]
  static let lens = "Systemd.lns"

  /// systemd's unit search path for `family`, without the runtime-only folders: Debian's
  /// systemd 252 is built split-usr and looks in `/lib/systemd/system` before
  /// `/usr/lib/systemd/system` (so it writes `/lib/...` link texts even on merged-usr roots);
  /// RHEL's looks in `/usr/lib/systemd/system` only (`/lib` last here, for odd roots).
  public static func unitDirectories(for family: ServiceFamily) -> [String] {
    let vendor =
      family == .debian
      ? ["/lib/systemd/system", "/usr/lib/systemd/system"] : ["/usr/lib/systemd/system", "/lib/systemd/system"]
    return ["/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system"] + vendor
  }

  /// A unit found on the search path.
  public struct Unit: Sendable {
    /// The unit's own name: `ksm.service`, `getty@tty2.service`, `getty@.service`.
    public var name: String
    /// Where its file was found (`/lib/systemd/system/ksm.service`; an instance's template
    /// file): the text of the links to it.
    public var path: String
    /// The mask link (`/etc/systemd/system/ksm.service`) when the unit is masked.
    public var maskedBy: String?
    /// The name asked for when it is an alias link of this unit (`iscsi.service`).
    public var aliasName: String?

    /// `getty@.service` for a template or an instance of it, else `nil`.
    public var template: String? { UnitName(name).template }
    /// Whether the name is a template without instance (`getty@.service`).
    public var isBareTemplate: Bool { UnitName(name).isBareTemplate }
  }

  /// The `[Install]` section, read in order: an assignment without value empties its list.
  public struct Install: Sendable, Equatable {
    /// `WantedBy=` targets.
    public var wantedBy: [String] = []
    /// `RequiredBy=` targets.
    public var requiredBy: [String] = []
    /// `UpheldBy=` targets.
    public var upheldBy: [String] = []
    /// `Alias=` names.
    public var alias: [String] = []
    /// `Also=` units, enabled and disabled with this one.
    public var also: [String] = []
    /// `DefaultInstance=` of a template.
    public var defaultInstance: String?

    /// Whether the section names nothing: the unit is static.
    public var isEmpty: Bool { !hasOwnLinks && also.isEmpty }
    /// Whether enabling makes links for the unit itself (`WantedBy=`, `RequiredBy=`, `UpheldBy=`, `Alias=`).
    public var hasOwnLinks: Bool {
      !(wantedBy.isEmpty && requiredBy.isEmpty && upheldBy.isEmpty && alias.isEmpty)
    }
  }

  /// The root read.
  public let root: HostRoot
  /// The family whose systemctl this reads as (search path order, link texts).
  public let family: ServiceFamily
  /// The search path, first match wins.
  public let unitDirectories: [String]

  /// The units of `root`, read as `family`'s systemctl reads them.
  public init(root: HostRoot, family: ServiceFamily = .rhel) {
    self.root = root
    self.family = family
    unitDirectories = Self.unitDirectories(for: family)
  }

  /// `ksm` → `ksm.service`; a name with a unit suffix stays as it is.
  public static func unitName(_ name: String) -> String { UnitName(name).unit }

  /// The unit `name`, or `nil` when no folder of the search path has it (an instance is
  /// found through its template file; an alias name through its link).
  public func find(_ name: String) -> Unit? {
    let asked = UnitName(name)
    let unit = asked.unit
    for directory in unitDirectories {
      let path = directory + "/" + unit
      guard root.exists(path) else { continue }
      if root.resolve(path) == "/dev/null" || root.linkText(path) == "/dev/null" {
        return Unit(name: unit, path: path, maskedBy: path)
      }
      if directory == Self.configDirectory, let text = root.linkText(path),
        let target = text.split(separator: "/").last.map(String.init), target != unit,
        var real = find(target)
      {
        real.aliasName = unit
        return real
      }
      return Unit(name: unit, path: path)
    }
    guard let template = asked.template, template != unit else { return nil }
    return find(template).map { found in
      var instance = found
      instance.name = unit
      return instance
    }
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
      var install = Install()
      for node in try tree.match("/unit/Install/*") {
        var values: [String] = []
        for valueNode in try tree.match(node + "/value") {
          if let value = try tree.get(valueNode) { values.append(value) }
        }
        let reset = values.isEmpty
        switch try tree.label(node) {
        case "WantedBy": install.wantedBy = reset ? [] : install.wantedBy + values
        case "RequiredBy": install.requiredBy = reset ? [] : install.requiredBy + values
        case "UpheldBy": install.upheldBy = reset ? [] : install.upheldBy + values
        case "Alias": install.alias = reset ? [] : install.alias + values
        case "Also": install.also = reset ? [] : install.also + values
        case "DefaultInstance": install.defaultInstance = values.last
        default: break
        }
      }
      return install
    } catch {
      throw .unparsable(file: file, error)
    }
  }

  /// The enablement links that exist for `unit`: in dependency folders, named like it (for a
  /// bare template, like any of its instances) and leading to its file; at the top, its aliases.
  public func links(_ unit: Unit, install: Install) -> [(path: String, text: String)] {
    var found: [(String, String)] = []
    let top = Self.configDirectory
    let name = UnitName(unit.name)
    for entry in root.listIfPresent(top, includingHidden: true).sorted() {
      let folder = top + "/" + entry
      if Self.dependencySuffixes.contains(where: entry.hasSuffix), root.isDirectory(folder) {
        for link in root.listIfPresent(folder, includingHidden: true).sorted()
        where link == unit.name || (name.isBareTemplate && UnitName(link).template == unit.name) {
          let path = folder + "/" + link
          if let text = root.linkText(path), name.isBareTemplate ? pointsTo(path, unit) : true {
            found.append((path, text))
          }
        }
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
    let file = unit.template.flatMap { _ in unit.path.split(separator: "/").last.map(String.init) } ?? unit.name
    return root.resolve(link) == root.resolve(unit.path) || root.linkText(link)?.hasSuffix("/" + file) == true
  }

  /// The units `systemctl enable|disable NAME` acts on: the unit and, transitively, its
  /// `Also=` units (own names, in order); units not installed are left out and listed in `missing`.
  /// - Throws: ``ServiceConfigError`` when a unit file cannot be read or parsed.
  public func alsoClosure(_ name: String) throws(ServiceConfigError) -> (units: [String], missing: [String]) {
    var units: [String] = []
    var missing: [String] = []
    var pending = [Self.unitName(name)]
    while let next = pending.first {
      pending.removeFirst()
      guard let unit = find(next) else {
        missing.append(next)
        continue
      }
      guard !units.contains(unit.name) else { continue }
      units.append(unit.name)
      if unit.maskedBy == nil { pending += try install(unit).also.map(Self.unitName) }
    }
    return (units, missing)
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
    if let alias = unit.aliasName {
      return ServiceState(
        name: name, exists: true, enabled: true, masked: false, detail: "alias of \(unit.name) (\(alias))",
        answer: .alias)
    }
    let install = try install(unit)
    let links = links(unit, install: install)
    if unit.isBareTemplate {
      let defaultLink = install.defaultInstance.map { UnitName(unit.name).instance($0) }
      if let defaultLink, links.contains(where: { $0.path.hasSuffix("/" + defaultLink) }) {
        return enabledState(name, links)
      }
      if !links.isEmpty {
        return ServiceState(
          name: name, exists: true, enabled: false, masked: false,
          detail: "indirect (instances: \(links.map { $0.path.split(separator: "/").last! }.joined(separator: ", ")))",
          answer: .indirect)
      }
    } else if !links.isEmpty {
      return enabledState(name, links)
    }
    if install.hasOwnLinks || (unit.isBareTemplate && install.defaultInstance != nil) {
      return ServiceState(name: name, exists: true, enabled: false, masked: false, detail: "disabled")
    }
    if !install.also.isEmpty {
      return ServiceState(
        name: name, exists: true, enabled: false, masked: false,
        detail: "indirect (Also=\(install.also.joined(separator: " ")))", answer: .indirect)
    }
    return ServiceState(
      name: name, exists: true, enabled: false, masked: false, detail: "static (no [Install] section)",
      answer: .static)
  }

  private func enabledState(_ name: String, _ links: [(path: String, text: String)]) -> ServiceState {
    let places = links.map { link in
      let parts = link.path.split(separator: "/").map(String.init)
      let folder = parts.dropLast().joined(separator: "/")
      return "/" + folder == Self.configDirectory ? "alias " + parts[parts.count - 1] : parts[parts.count - 2]
    }
    return ServiceState(
      name: name, exists: true, enabled: true, masked: false, detail: "enabled (\(places.joined(separator: ", ")))")
  }
}
