/// One symlink to create or remove: what enabling or disabling a service at boot is made of.
public struct LinkChange: Sendable, Equatable, Codable {
  /// Whether the link is created or removed.
  public enum Kind: String, Sendable, Codable {
    /// The link is created.
    case create
    /// The link is removed.
    case remove
  }

  /// Create or remove.
  public var kind: Kind
  /// The link's path from the root, for example `/etc/rc.d/rc3.d/S84ksm`.
  public var path: String
  /// The link's text: what it points to (`../init.d/ksm`); for a removal, the text it has now.
  public var target: String

  /// Creates a change.
  public init(kind: Kind, path: String, target: String) {
    self.kind = kind
    self.path = path
    self.target = target
  }
}
