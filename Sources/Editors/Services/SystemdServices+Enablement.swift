import HostConfig

extension SystemdServices {
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
    let install: Install
    do {
      install = try self.install(unit)
    } catch {
      throw EditorError(error)
    }
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
        if !root.exists(link) {
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
