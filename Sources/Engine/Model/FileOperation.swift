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
  /// Whether ``after`` holds the bytes to write. A plan made without file texts
  /// (``Planner/rendersFiles`` off) knows which files change, and whether each is
  /// created or updated, but not their new bytes: it can be shown, not applied.
  public var isRendered = true
  /// What runs on the live host for this file, beside or instead of the write (see ``HostCommand``).
  public var command: HostCommand?

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
    command = change.command
  }

  /// An update (or, when `before` is `nil`, a creation) of `path` whose new bytes
  /// were not rendered.
  public static func unrendered(path: String, before: Data?, mode: Int = 0o644) -> FileOperation {
    var operation = FileOperation(path: path, before: before, after: nil, mode: mode)
    operation.isRendered = false
    return operation
  }

  /// `create`, `update` or `delete`.
  public var action: Action {
    if !isRendered { return before == nil ? .create : .update }
    return switch (before, after) {
    case (nil, _): .create
    case (_, nil): .delete
    default: .update
    }
  }

  /// The digest of the bytes before, ``Digest/absent`` for a new file.
  public var beforeDigest: Digest { Digest(of: before) }
  /// The digest of the bytes after: ``Digest/absent`` for a removal, ``Digest/notRendered`` unrendered.
  public var afterDigest: Digest { isRendered ? Digest(of: after) : .notRendered }
}
