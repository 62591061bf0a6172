/// One value written to a file under `/sys` or `/proc/sys` of a running host, in
/// place, as `echo VALUE > FILE` would.
public struct LiveWrite: Sendable, Equatable, Codable {
  /// The file, as a path from the root.
  public var path: String
  /// The value, without a newline.
  public var value: String
  /// Why this write is there, for display (`unmerge all shared pages first`).
  public var purpose: String?

  /// Creates a write of `value` to `path`.
  public init(path: String, value: String, purpose: String? = nil) {
    self.path = path
    self.value = value
    self.purpose = purpose
  }
}
