import Synchronization

/// The link texts already read under the roots, for a stretch of work that writes nothing
/// to them (a plan, the re-check of a trace): each folder of a path is asked once whether
/// it is a link, not once for every path below it.
///
/// Bound to a task (``HostRoot/withSteadyLinks(_:)``): outside that binding every
/// resolution asks the file system again, so what an apply writes is seen at once.
final class LinkMemo: Sendable {
  /// The memo bound to the current task, if any.
  @TaskLocal static var current: LinkMemo?

  /// The text of each path on this machine asked so far; `nil` for a path that is no link.
  private let texts = Mutex<[String: String?]>([:])

  /// The text of the link at `host` (a path on this machine), read once.
  func linkText(_ host: String, reading: (String) -> String?) -> String? {
    if let known = texts.withLock({ $0[host] }) { return known }
    let text = reading(host)
    texts.withLock { $0[host] = text }
    return text
  }
}

extension HostRoot {
  /// Runs `body` with the links under every root taken as steady: each one is read once.
  /// Only for work that writes nothing under the roots it reads.
  public static func withSteadyLinks<Result>(_ body: () -> Result) -> Result {
    if LinkMemo.current != nil { return body() }
    return LinkMemo.$current.withValue(LinkMemo()) { body() }
  }
}
