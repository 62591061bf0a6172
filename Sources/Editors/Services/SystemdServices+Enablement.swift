import HostConfig

extension SystemdServices {
  /// The links `systemctl enable|disable NAME` would create or remove, `Also=` units included,
  /// and on a Debian root what systemd-sysv-install does for the unit's own init script
  /// (`update-rc.d NAME defaults`, then `enable|disable`: its links and, where insserv is
  /// configured, the `insserv NAME` it runs, as on a SysV root); with systemctl's warnings.
  func changes(_ name: String, enabled: Bool) throws(EditorError) -> ServiceEnablement {
    var visited: Set<String> = []
    var result = ServiceEnablement()
    try collect(name, enabled: enabled, from: nil, visited: &visited, into: &result)
    return result
  }

  /// `from`: the unit whose `Also=` names `name`, `nil` for the unit asked for.
  private func collect(
    _ name: String, enabled: Bool, from: String?, visited: inout Set<String>, into result: inout ServiceEnablement
  ) throws(EditorError) {
    let unitName = Self.unitName(name)
    guard visited.insert(unitName).inserted else { return }
    guard let unit = find(unitName) else {
      if let from {
        // systemctl: "Failed to enable auxiliary unit X, ignoring." (exit 0); silent on disable.
        if enabled {
          result.warnings.append(
            "\(from): Also=\(unitName) names a unit that is not installed; it is skipped, as systemctl does")
        }
        return
      }
      throw EditorError(
        message: "unknown service \(name): no unit file \(unitName) in " + unitDirectories.joined(separator: ", "))
    }
    if let mask = unit.maskedBy {
      // systemctl disable: "Unit … is masked, ignoring." (exit 0), every link left as it is.
      guard enabled else { return }
      throw EditorError(
        message: "\(unitName) is masked (\(mask) -> /dev/null): unmask it (systemctl unmask \(unitName)) to enable it")
    }
    visited.insert(unit.name)
    let install: Install
    do {
      install = try self.install(unit)
    } catch {
      throw EditorError(error)
    }
    if enabled {
      try enableLinks(unit, install, asked: from == nil, into: &result)
    } else {
      for link in links(unit, install: install) {
        result.links.append(LinkChange(kind: .remove, path: link.path, target: link.text))
      }
    }
    for other in install.also {
      try collect(other, enabled: enabled, from: unit.name, visited: &visited, into: &result)
    }
    if from == nil, family == .debian, UnitName(unit.name).suffix == ".service" {
      let script = UnitName(unit.name).base
      let scripts = UpdateRcDScripts(root: root)
      if scripts.header(script) != nil {
        // systemd-sysv-install runs update-rc.d, whose SysV part is the same on every init:
        // the links, then `insserv NAME` where insserv is configured.
        let sysv = try scripts.enablement(script, enabled: enabled)
        result.links += sysv.links
        result.programs += sysv.programs
      }
    }
  }

  private func enableLinks(_ unit: Unit, _ install: Install, asked: Bool, into result: inout ServiceEnablement)
    throws(EditorError)
  {
    if install.isEmpty {
      guard asked else { return }
      throw EditorError(
        message: "\(unit.name) has no [Install] section (WantedBy=, RequiredBy=, Alias=, Also=): "
          + "systemctl enable cannot enable it")
    }
    var linkName = unit.name
    if unit.isBareTemplate, install.hasOwnLinks {
      guard let instance = install.defaultInstance else {
        throw EditorError(
          message: "\(unit.name) has no DefaultInstance=: name an instance to enable, such as "
            + UnitName(unit.name).instance("tty1") + " (systemctl enable refuses the bare template)")
      }
      linkName = UnitName(unit.name).instance(instance)
    }
    var wanted: [String] = []
    for (targets, suffix) in [
      (install.wantedBy, ".wants"), (install.requiredBy, ".requires"), (install.upheldBy, ".upholds"),
    ] {
      wanted += targets.map { Self.configDirectory + "/" + $0 + suffix + "/" + linkName }
    }
    if unit.template == nil {
      wanted += install.alias.filter { $0 != unit.name }.map { Self.configDirectory + "/" + $0 }
    }
    for link in wanted {
      if !root.exists(link) {
        result.links.append(LinkChange(kind: .create, path: link, target: unit.path))
      } else if !pointsTo(link, unit) {
        throw EditorError(
          file: link, message: "exists and is not a link to \(unit.path): systemctl enable would refuse it")
      }
    }
  }
}
