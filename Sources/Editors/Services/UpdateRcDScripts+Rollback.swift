import HostConfig

extension UpdateRcDScripts {
  /// What undoes `applied` (the rc links an apply renamed, in its order) on a root where
  /// update-rc.d orders scripts with insserv, which has renumbered them since: for each
  /// folder and script the apply renamed, its links there get back the letter they had
  /// (`S`↔`K`, insserv's current numbers kept, as `update-rc.d NAME enable|disable` does),
  /// a link the apply created with no counterpart is removed, and `insserv NAME` runs after
  /// for each script, as update-rc.d runs it. Other links (on a systemd host, the wants links
  /// of a unit whose own script insserv ordered) are undone one by one, last first, before.
  /// `nil` where insserv is not configured, or when no rc link was changed: then undoing the
  /// records one by one is exact.
  public func undoing(_ applied: [LinkChange]) -> ServiceEnablement? {
    guard let insserv, applied.contains(where: { Self.rcLink($0.path) != nil }) else { return nil }
    var result = ServiceEnablement()
    for change in applied.reversed() where Self.rcLink(change.path) == nil {
      result.links.append(
        LinkChange(kind: change.kind == .create ? .remove : .create, path: change.path, target: change.target))
    }
    var scripts: [String] = []
    // Per level and script, the link the apply removed first: the letter it had before.
    var removed: [(level: String, script: String, link: LinkChange)] = []
    for change in applied {
      guard let (level, script) = Self.rcLink(change.path) else { continue }
      if !scripts.contains(script) { scripts.append(script) }
      if change.kind == .remove, !removed.contains(where: { $0.level == level && $0.script == script }) {
        removed.append((level, script, change))
      }
    }
    for change in applied.reversed() where change.kind == .create {
      guard let (level, script) = Self.rcLink(change.path) else { continue }
      if !removed.contains(where: { $0.level == level && $0.script == script }), root.linkText(change.path) != nil {
        result.links.append(LinkChange(kind: .remove, path: change.path, target: change.target))
      }
    }
    for (level, script, link) in removed {
      let letter = link.path.split(separator: "/").last?.first
      let current = links(script, level: level)
      for other in current where other.name.first != letter {
        let folder = levelDirectory(level)
        result.links.append(LinkChange(kind: .remove, path: folder + "/" + other.name, target: other.text))
        result.links.append(
          LinkChange(
            kind: .create, path: folder + "/" + String(letter ?? "K") + other.name.dropFirst(), target: other.text))
      }
      if current.isEmpty { result.links.append(LinkChange(kind: .create, path: link.path, target: link.target)) }
    }
    result.programs = scripts.map { HostCommand(insserv.command($0), role: .afterWrite) }
    return result
  }

  /// The level and script of an rc link path (`/etc/rc2.d/S02ksm`: `2`, `ksm`), `nil` for another path.
  private static func rcLink(_ path: String) -> (level: String, script: String)? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 4, parts[0].isEmpty, parts[1] == "etc", parts[2].count == 5, parts[2].hasPrefix("rc"),
      parts[2].hasSuffix(".d"), LSBHeader.levels.contains(String(parts[2].dropFirst(2).prefix(1))),
      let letter = parts[3].first, letter == "S" || letter == "K"
    else { return nil }
    let rest = parts[3].dropFirst()
    let digits = rest.prefix(while: \.isNumber)
    guard digits.count == 2, rest.count > 2 else { return nil }
    return (String(parts[2].dropFirst(2).prefix(1)), String(rest.dropFirst(2)))
  }
}
