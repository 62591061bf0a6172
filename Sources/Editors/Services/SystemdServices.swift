import Augeas

/// systemd units and their enablement links under `/etc/systemd/system`, as `systemctl enable|disable` makes them.
struct SystemdServices {
  /// Where units are looked for, first match wins (systemd's search path, without the runtime-only folders).
  static let unitDirectories = [
    "/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
    "/lib/systemd/system",
  ]
  /// Where `systemctl enable` writes its links.
  static let configDirectory = "/etc/systemd/system"
  /// The folder suffixes of dependency links.
  static let dependencySuffixes = [".wants", ".requires", ".upholds"]
  static let unitSuffixes = [
    ".service", ".socket", ".target", ".timer", ".path", ".mount", ".automount", ".swap", ".slice", ".scope",
    ".device",
  ]

  /// A unit found on the search path.
  struct Unit {
    /// `ksm.service`.
    var name: String
    /// Where it was found (`/lib/systemd/system/ksm.service`): the text of the links to it.
    var path: String
    /// The mask link (`/etc/systemd/system/ksm.service`) when the unit is masked.
    var maskedBy: String?
  }

  /// The `[Install]` section.
  struct Install {
    var wantedBy: [String] = []
    var requiredBy: [String] = []
    var upheldBy: [String] = []
    var alias: [String] = []
    var also: [String] = []
    var isEmpty: Bool { wantedBy.isEmpty && requiredBy.isEmpty && upheldBy.isEmpty && alias.isEmpty && also.isEmpty }
  }

  let paths: RootPath

  /// `ksm` → `ksm.service`; a name with a unit suffix stays as it is.
  static func unitName(_ name: String) -> String {
    unitSuffixes.contains(where: name.hasSuffix) ? name : name + ".service"
  }

  /// The unit `name`, or `nil` when no folder of the search path has it.
  func find(_ name: String) -> Unit? {
    let unit = Self.unitName(name)
    for directory in Self.unitDirectories {
      let path = directory + "/" + unit
      guard paths.kind(path) != nil else { continue }
      if paths.resolve(path) == "/dev/null" || paths.linkText(path) == "/dev/null" {
        return Unit(name: unit, path: path, maskedBy: path)
      }
      return Unit(name: unit, path: path, maskedBy: nil)
    }
    return nil
  }

  /// Reads the unit's `[Install]` section with the Systemd lens.
  func install(_ unit: Unit) throws(EditorError) -> Install {
    let file = paths.resolve(unit.path)
    do {
      let tree = try AugeasTree(
        root: paths.prefix.isEmpty ? "/" : paths.prefix,
        transforms: [
          Transform(lens: "Systemd.lns", includes: [file])
        ])
      func values(_ key: String) throws(AugeasError) -> [String] {
        var result: [String] = []
        for node in try tree.match("/files\(file)/Install/\(key)/value") {
          if let value = try tree.get(node) { result.append(value) }
        }
        return result
      }
      return Install(
        wantedBy: try values("WantedBy"), requiredBy: try values("RequiredBy"), upheldBy: try values("UpheldBy"),
        alias: try values("Alias"), also: try values("Also"))
    } catch {
      throw EditorError(error)
    }
  }

  /// The enablement links that exist for `unit`: in dependency folders, named like it; at the top, its aliases.
  func links(_ unit: Unit, install: Install) -> [(path: String, text: String)] {
    var found: [(String, String)] = []
    let top = Self.configDirectory
    for entry in paths.list(top) {
      let folder = top + "/" + entry
      if Self.dependencySuffixes.contains(where: entry.hasSuffix), paths.isDirectory(folder) {
        if let text = paths.linkText(folder + "/" + unit.name) { found.append((folder + "/" + unit.name, text)) }
      } else if install.alias.contains(entry), entry != unit.name, let text = paths.linkText(folder),
        pointsTo(folder, unit)
      {
        found.append((folder, text))
      }
    }
    return found
  }

  private func pointsTo(_ link: String, _ unit: Unit) -> Bool {
    paths.resolve(link) == paths.resolve(unit.path) || paths.linkText(link)?.hasSuffix("/" + unit.name) == true
  }

  func state(_ name: String) throws(EditorError) -> ServiceState {
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
      let parts = RootPath.components(link.path)
      let folder = parts.dropLast().joined(separator: "/")
      return "/" + folder == Self.configDirectory ? "alias " + parts[parts.count - 1] : parts[parts.count - 2]
    }
    return ServiceState(
      name: name, exists: true, enabled: true, masked: false, detail: "enabled (\(places.joined(separator: ", ")))")
  }

  /// The links `systemctl enable|disable NAME` would create or remove, `Also=` units included.
  func changes(_ name: String, enabled: Bool) throws(EditorError) -> [LinkChange] {
    var visited: Set<String> = []
    var changes: [LinkChange] = []
    try collect(name, enabled: enabled, visited: &visited, into: &changes)
    return changes
  }

  private func collect(_ name: String, enabled: Bool, visited: inout Set<String>, into changes: inout [LinkChange])
    throws(EditorError)
  {
    let unitName = Self.unitName(name)
    guard visited.insert(unitName).inserted else { return }
    guard let unit = find(unitName) else {
      throw EditorError(
        message: "unknown service \(name): no unit file \(unitName) in "
          + Self.unitDirectories.joined(separator: ", "))
    }
    if let mask = unit.maskedBy {
      throw EditorError(
        message: "\(unitName) is masked (\(mask) -> /dev/null): left alone; unmask it first if it should run")
    }
    let install = try install(unit)
    if enabled {
      if install.isEmpty {
        throw EditorError(
          message: "\(unitName) has no [Install] section (WantedBy=, RequiredBy=, Alias=, Also=): "
            + "systemctl enable cannot enable it")
      }
      var wanted: [String] = []
      for (targets, suffix) in [
        (install.wantedBy, ".wants"), (install.requiredBy, ".requires"), (install.upheldBy, ".upholds"),
      ] {
        wanted += targets.map { Self.configDirectory + "/" + $0 + suffix + "/" + unitName }
      }
      wanted += install.alias.filter { $0 != unitName }.map { Self.configDirectory + "/" + $0 }
      for link in wanted {
        if paths.kind(link) == nil {
          changes.append(LinkChange(kind: .create, path: link, target: unit.path))
        } else if !pointsTo(link, unit) {
          throw EditorError(
            file: link, message: "exists and is not a link to \(unit.path): systemctl enable would refuse it")
        }
      }
    } else {
      for link in links(unit, install: install) {
        changes.append(LinkChange(kind: .remove, path: link.path, target: link.text))
      }
    }
    for other in install.also {
      try collect(other, enabled: enabled, visited: &visited, into: &changes)
    }
  }
}
