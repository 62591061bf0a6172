import Editors
import Foundation

/// One file a change writes, with its bytes before and after: what the diff shows,
/// what apply writes, backs up and digests.
///
/// The bytes are held in memory only; a saved plan keeps their digests, and
/// apply recomputes the bytes by planning again (see ``PlanDocument``).
public struct FileOperation: Sendable, Equatable {
  /// The file, as a path from the root, symlinks resolved.
  public var path: String
  /// The current bytes, or `nil` when the file does not exist.
  public var before: Data?
  /// The bytes to write, or `nil` when the file is removed.
  public var after: Data?
  /// The permission bits for a file that is created (`0o755` for programs); an
  /// existing file keeps its own.
  public var mode: Int

  /// Creates an operation on `path`.
  public init(path: String, before: Data?, after: Data?, mode: Int = 0o644) {
    self.path = path
    self.before = before
    self.after = after
    self.mode = mode
  }

  /// The operation for an editor's text preview.
  public init(_ change: FileChange, mode: Int = 0o644) {
    self.init(
      path: change.path, before: change.before.map { Data($0.utf8) }, after: change.after.map { Data($0.utf8) },
      mode: mode)
  }

  /// `create`, `update` or `delete`.
  public var action: Action {
    switch (before, after) {
    case (nil, _): .create
    case (_, nil): .delete
    default: .update
    }
  }

  /// The digest of the bytes before (`sha256:…`), or `absent`.
  public var beforeDigest: String { Digest.of(before) }
  /// The digest of the bytes after (`sha256:…`), or `absent`.
  public var afterDigest: String { Digest.of(after) }
}
