#if canImport(Glibc)
  import Glibc
#endif

/// Why a path under a root could not be read or written; its description names the path
/// (from the root) and reads as one sentence.
public enum HostRootError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The root itself does not exist.
  case missingRoot(String)
  /// The root is not a directory.
  case rootNotDirectory(String)
  /// Nothing is at the path.
  case notFound(String)
  /// The path is not a regular file (a folder, a device, a FIFO).
  case notRegularFile(String)
  /// The path is not a folder.
  case notDirectory(String)
  /// The links on the way loop, or are more than ``HostRoot/linkLimit``.
  case tooManyLinks(String)
  /// The file holds more than the limit, in bytes.
  case tooLarge(String, limit: Int)
  /// The file is not text: not UTF-8, or holds a NUL byte, at this line and column.
  case notText(String, line: Int, column: Int, reason: String)
  /// The system refused (`errno`'s words).
  case system(String, operation: String, reason: String)

  /// The path from the root that the error is about.
  public var path: String {
    switch self {
    case .missingRoot(let path), .rootNotDirectory(let path), .notFound(let path), .notRegularFile(let path),
      .notDirectory(let path), .tooManyLinks(let path), .tooLarge(let path, _), .notText(let path, _, _, _),
      .system(let path, _, _):
      path
    }
  }

  public var description: String {
    switch self {
    case .missingRoot(let path): "the root \(path) does not exist"
    case .rootNotDirectory(let path): "the root \(path) is not a directory"
    case .notFound(let path): "\(path) not found"
    case .notRegularFile(let path): "\(path) is not a regular file"
    case .notDirectory(let path): "\(path) is not a directory"
    case .tooManyLinks(let path): "\(path) has too many levels of symbolic links"
    case .tooLarge(let path, let limit): "\(path) is larger than \(limit) bytes"
    case .notText(let path, let line, let column, let reason): "\(path):\(line):\(column): \(reason)"
    case .system(let path, let operation, let reason): "\(path): cannot \(operation): \(reason)"
    }
  }

  /// What went wrong, without the path: `strerror`'s words where the system refused
  /// (`No such file or directory`), the description otherwise.
  public var reason: String {
    switch self {
    case .notFound: String(cString: strerror(ENOENT))
    case .tooManyLinks: String(cString: strerror(ELOOP))
    case .system(_, _, let reason): reason
    default: description
    }
  }

  /// The error for `errno` value `code` met doing `operation` on `path`.
  static func from(errno code: Int32, _ path: String, _ operation: String) -> HostRootError {
    switch code {
    case ENOENT: .notFound(path)
    case ELOOP: .tooManyLinks(path)
    case ENOTDIR where operation == "list": .notDirectory(path)
    default: .system(path, operation: operation, reason: String(cString: strerror(code)))
    }
  }
}
