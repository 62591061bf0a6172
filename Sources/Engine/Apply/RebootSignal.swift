import RootFS

/// The reboot-required signal other tools read: Debian's convention of a sentinel file,
/// `/run/reboot-required`, and the names of what asked for the reboot, one a line, in
/// `/run/reboot-required.pkgs` (unattended-upgrades, needrestart, kured's default sentinel,
/// the login banner all read them).
///
/// After an apply on the live host, a pending reboot raises it: the sentinel is created
/// when absent, a `virthost` line is added to the list, and virthost keeps its reasons (and
/// whether it made the sentinel) in `/run/virthost/reboot-required`. Once the running
/// kernel carries the configuration, it is lowered: virthost's line is taken out, and the
/// sentinel removed only when virthost made it and the list is then empty. `/run` is a
/// tmpfs, so a reboot clears all of it anyway. Every file is read without following a link,
/// in folders only root can write, or left alone.
public enum RebootSignal {
  /// The sentinel.
  public static let sentinel = "/run/reboot-required"
  /// What asked for the reboot, one name a line.
  public static let requesters = "/run/reboot-required.pkgs"
  /// virthost's record: its reasons, and whether it made the sentinel.
  public static let record = "/run/virthost/reboot-required"
  /// virthost's line in ``requesters``.
  static let name = "virthost"
  /// The first line of ``record`` when virthost made the sentinel.
  static let madeSentinel = "# virthost created /run/reboot-required"
  /// The sentinel's text, as Debian's tools write it.
  static let sentinelText = "*** System restart required ***\n"

  /// Raises the signal with `reasons` (the pending reboot's), or lowers it when they are
  /// empty. Returns a warning when a file could not be written; never throws (the apply it
  /// follows has already succeeded).
  @discardableResult
  public static func update(_ root: HostRoot, reasons: [String]) -> String? {
    for folder in ["/run", "/run/virthost"] where root.exists(folder) {
      if let problem = root.stateFolderProblem(folder) {
        return "the reboot-required signal was not updated: \(problem)"
      }
    }
    do {
      if reasons.isEmpty { try lower(root) } else { try raise(root, reasons) }
      return nil
    } catch {
      return "the reboot-required signal was not updated: \(error)"
    }
  }

  private static func raise(_ root: HostRoot, _ reasons: [String]) throws {
    let writer = HostRootWriter(root)
    let previous = try text(root, record)
    let made = previous.map { $0.hasPrefix(madeSentinel) } ?? !root.exists(sentinel)
    if !root.exists(sentinel) { try writer.replace(sentinel, with: Array(sentinelText.utf8)) }
    var names = lines(try text(root, requesters))
    if !names.contains(name) {
      names.append(name)
      try writer.replace(requesters, with: Array(names.map { $0 + "\n" }.joined().utf8))
    }
    let header = made ? madeSentinel : "# /run/reboot-required was there before virthost"
    let body = ([header] + reasons.map { "reboot-required: " + $0 }).map { $0 + "\n" }.joined()
    if previous != body { try writer.replace(record, with: Array(body.utf8), mode: 0o600) }
  }

  private static func lower(_ root: HostRoot) throws {
    guard let previous = try text(root, record) else { return }
    let writer = HostRootWriter(root)
    let names = lines(try text(root, requesters))
    let others = names.filter { $0 != name }
    if others.count != names.count {
      try writer.replace(requesters, with: Array(others.map { $0 + "\n" }.joined().utf8))
    }
    if previous.hasPrefix(madeSentinel), others.isEmpty {
      try writer.remove(sentinel)
      try writer.remove(requesters)
    }
    try writer.remove(record)
  }

  /// The text of `path`, read without following a link and judged by its descriptor;
  /// `nil` when absent.
  private static func text(_ root: HostRoot, _ path: String) throws(StateFileError) -> String? {
    guard root.exists(path) else { return nil }
    return String(decoding: try root.readState(path), as: UTF8.self)
  }

  private static func lines(_ text: String?) -> [String] {
    (text ?? "").split(separator: "\n").map(String.init).filter { !$0.isEmpty }
  }
}
