#if canImport(Glibc)
  import Glibc
#endif

/// The file `--metrics-file` names (the tuner's, `virthost check`'s), replaced whole each time: the text goes to a new temporary
/// file in the same folder, which is then renamed over the file. A reader sees the old metrics
/// or the new ones, never a part.
///
/// The folder is usually node_exporter's textfile folder, owned by the exporter's account,
/// which can put any entry there, links included. So the daemon (root) never opens a name
/// someone else could have made: the temporary's name is unpredictable (`.NAME.XXXXXXXXXXXX`,
/// twelve random letters and digits; not a `*.prom`, so the textfile collector skips it), it is
/// created with `O_CREAT|O_EXCL|O_NOFOLLOW` relative to the folder's descriptor, its mode (0644,
/// for the exporter to read, whatever the umask) is set with `fchmod` on that descriptor, and the
/// rename replaces whatever entry holds the final name (a link too) without following it.
///
/// Not a host file of the root: the path is the one given (node_exporter's folder on the
/// machine that runs the daemon or `virthost check --metrics-file`), and they, not the
/// applier, own it.
public struct MetricsFile: Sendable {
  /// The file's absolute path.
  public let path: String

  public init(path: String) {
    self.path = path
  }

  /// The mode of the metrics file: the exporter's account reads it.
  static let mode: mode_t = 0o644

  /// How many temporary names are tried before giving up: one taken name is already an
  /// accident (the names are 62¹² to one).
  static let attempts = 8

  /// The folder that holds the file (`/` for a file at the top).
  var folder: String {
    let slash = path.lastIndex(of: "/") ?? path.startIndex
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// The file's name in its folder.
  var name: String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// Replaces the file with `text`.
  ///
  /// - Returns: `nil` on success, else one sentence naming the file and the error;
  ///   the temporary file is then removed and the old metrics stay.
  public func replace(with text: String) -> String? {
    let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else {
      return "cannot write the metrics to \(path): the folder \(folder): \(RawFile.describe(errno: errno))"
    }
    defer { close(directory) }
    var temporary = ""
    var fd: Int32 = -1
    for _ in 0..<Self.attempts {
      temporary = Self.temporaryName(for: name)
      fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else {
      return "cannot write the metrics to \(path): cannot create a temporary file in \(folder): "
        + RawFile.describe(errno: errno)
    }
    var failure = fchmod(fd, Self.mode) == 0 ? 0 : errno
    if failure == 0 { failure = RawFile.write(fd, Array(text.utf8)) }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && renameat(directory, temporary, directory, name) != 0 { failure = errno }
    guard failure != 0 else { return nil }
    unlinkat(directory, temporary, 0)
    return "cannot write the metrics to \(path): \(RawFile.describe(errno: failure))"
  }

  /// `.NAME.` and twelve random letters and digits (from `getrandom`, as `mkstemp`'s are
  /// unpredictable).
  static func temporaryName(for name: String) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    var generator = SystemRandomNumberGenerator()
    let suffix = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
    return "." + name + "." + String(suffix)
  }

  /// A warning when others than root and the folder's group can write the folder (its owner
  /// is not root, or others have write permission): they can then replace or remove the
  /// metrics that node_exporter serves, though never make the daemon write through a link.
  /// `nil` for a folder only root and its group can write, or one that cannot be read (the
  /// write reports that).
  public func folderWarning() -> String? {
    var info = stat()
    guard stat(folder, &info) == 0 else { return nil }
    let othersWrite = info.st_mode & S_IWOTH != 0
    guard info.st_uid != 0 || othersWrite else { return nil }
    let permissions = String(info.st_mode & 0o7777, radix: 8)
    let mode = String(repeating: "0", count: max(0, 4 - permissions.count)) + permissions
    let writers = info.st_uid != 0 ? "its owner \(Self.userName(info.st_uid))" : "every user"
    return "warning: the metrics folder \(folder) (mode \(mode), owner \(Self.userName(info.st_uid))) "
      + "can be written by \(writers), not only by root and its group: the metrics node_exporter serves can be "
      + "replaced there; make the folder root's, writable by root and its group only"
  }

  /// The user name of `uid` (`nobody`), or its number when it has none.
  private static func userName(_ uid: uid_t) -> String {
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 1024)
    guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name
    else { return "uid \(uid)" }
    return String(cString: name)
  }
}
