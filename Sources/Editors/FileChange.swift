/// The text a file has and the text an edit would give it: what a plan's diff
/// shows and what the engine digests and backs up.
///
/// Editors return one for each file whose text would change; a file whose text
/// stays the same has none.
public struct FileChange: Sendable, Equatable {
  /// The file, as a path from the root (`/boot/grub/grub.conf`), symlinks resolved:
  /// the file that would really be written.
  public var path: String
  /// The current text, or `nil` when the file does not exist yet.
  public var before: String?
  /// The text after the edit, or `nil` when the edit deletes the file.
  public var after: String?
  /// What runs on the live host for this change, beside or instead of the write; `nil`
  /// for a file the boot loader (or its regeneration) reads as written.
  public var command: HostCommand?

  /// Creates a change of `path` from `before` to `after`.
  public init(path: String, before: String?, after: String?) {
    self.path = path
    self.before = before
    self.after = after
  }
}
