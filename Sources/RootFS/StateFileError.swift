/// Why virthost's own state (a converged trace, a backup, the state key) was not read or
/// cannot be kept: nothing is there, or another user could have put it there.
///
/// Its description is one sentence naming the path on this machine, why it is not trusted,
/// and the fix.
public struct StateFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kinds of refusal.
  public enum Kind: Equatable, Sendable {
    /// Nothing is at the path (a state file not made yet).
    case missing
    /// A folder on the way, or the file, is a link, not owned by root (or by the user
    /// running virthost), or writable by others: it could have been planted.
    case untrusted
    /// The system refused to read it (`errno`'s words).
    case unreadable
  }

  /// Which refusal.
  public var kind: Kind
  /// The path on this machine that is refused.
  public var path: String
  /// Why, in words.
  public var reason: String

  public init(_ kind: Kind, _ path: String, _ reason: String) {
    self.kind = kind
    self.path = path
    self.reason = reason
  }

  public var description: String {
    switch kind {
    case .missing: "\(path) does not exist"
    case .untrusted:
      "\(path) \(reason), so another user could have planted or read it: make it and every folder above it "
        + "root's and writable by root alone (chown root:root, chmod go-w)"
    case .unreadable: "\(path): \(reason)"
    }
  }
}
