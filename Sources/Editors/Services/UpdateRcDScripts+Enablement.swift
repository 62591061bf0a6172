import HostConfig

extension UpdateRcDScripts {
  /// What `update-rc.d NAME defaults` then `enable|disable` does on a Debian SysV root: the
  /// links of ``changes(_:enabled:)`` and, where insserv is configured, the `insserv [-f] NAME`
  /// update-rc.d runs after them (it renumbers every script by its LSB dependencies and
  /// rewrites the `.depend.*` files startpar boots from); also when no link changes but an
  /// enabled script is missing from those files (``sequenceProblem(_:)``). A script without
  /// links there is enabled by that call alone (`update-rc.d NAME defaults` is `insserv NAME`,
  /// which makes the links with its numbers); disabling it is refused (``changes(_:enabled:)``).
  func enablement(_ name: String, enabled: Bool) throws(EditorError) -> ServiceEnablement {
    var result = ServiceEnablement()
    if enabled, let insserv, header(name) != nil, LSBHeader.levels.allSatisfy({ links(name, level: $0).isEmpty }) {
      result.programs = [HostCommand(insserv.command(name), role: .afterWrite)]
      return result
    }
    result.links = try changes(name, enabled: enabled)
    if let insserv, !result.links.isEmpty || (enabled && sequenceProblem(name) != nil) {
      result.programs = [HostCommand(insserv.command(name), role: .afterWrite)]
    }
    return result
  }

  /// The links `update-rc.d NAME defaults` then `update-rc.d NAME enable|disable` leave, as
  /// Debian's update-rc.d does without insserv (and as systemd-sysv-install runs it):
  ///
  /// - no link of NAME in any `rc?.d`: `S01NAME` in the `Default-Start` levels (`K01NAME` in
  ///   those update-rc.d toggles when disabling) and `K01NAME` in the `Default-Stop` levels;
  /// - links present: in the `Default-Start` levels among `S` and 2–5, `S`↔`K` renamed with
  ///   the number kept; levels 0, 1 and 6 are never touched.
  /// - Throws: ``EditorError`` for a missing script, or one without links on a root whose
  ///   update-rc.d numbers links with insserv (its numbers are not reproduced here; enabling
  ///   such a script is ``enablement(_:enabled:)``'s `insserv NAME`).
  func changes(_ name: String, enabled: Bool) throws(EditorError) -> [LinkChange] {
    guard let header = header(name) else {
      throw EditorError(message: "unknown service \(name): no init script \(scriptPath(name))")
    }
    let start = header.start ?? []
    let existing = LSBHeader.levels.map { ($0, links(name, level: $0)) }
    var changes: [LinkChange] = []
    if existing.allSatisfy({ $0.1.isEmpty }) {
      if insserv != nil {
        throw EditorError(
          message: "\(name) has no rc links; on this host update-rc.d orders scripts with insserv, which virthost "
            + "does not reproduce: run `update-rc.d \(name) defaults-disabled` (or `defaults`, as dpkg does when "
            + "installing the package)")
      }
      for level in LSBHeader.levels {
        let letter: String
        if start.contains(level) {
          letter = enabled || !LSBHeader.toggled.contains(level) ? "S" : "K"
        } else if (header.stop ?? []).contains(level) {
          letter = "K"
        } else {
          continue
        }
        changes.append(
          LinkChange(kind: .create, path: levelDirectory(level) + "/\(letter)01" + name, target: linkText(name)))
      }
      return changes
    }
    let wanted: Character = enabled ? "S" : "K"
    for (level, links) in existing where start.contains(level) && LSBHeader.toggled.contains(level) {
      for link in links where link.name.first != wanted {
        let directory = levelDirectory(level)
        changes.append(LinkChange(kind: .remove, path: directory + "/" + link.name, target: link.text))
        changes.append(
          LinkChange(
            kind: .create, path: directory + "/" + String(wanted) + link.name.dropFirst(), target: link.text))
      }
    }
    return changes
  }
}
