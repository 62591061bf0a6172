#if canImport(Glibc)
  import Glibc
#endif

/// A root directory standing for the host's `/`: the live `/` or a fixture
/// tree. Every host path the daemon reads or writes goes through ``path(_:)``.
public struct HostRoot: Equatable, Sendable {
  /// The root as an absolute path without a trailing slash; empty for `/`.
  public let prefix: String

  /// A root at `directory`, which must exist; relative paths are made absolute.
  ///
  /// - Returns: `nil` when `directory` does not exist or is not a directory.
  public init?(_ directory: String) {
    guard let resolved = realpath(directory, nil) else { return nil }
    defer { free(resolved) }
    var info = stat()
    guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
    let path = String(cString: resolved)
    prefix = path == "/" ? "" : path
  }

  /// The path of the host path `absolute` (such as `/proc/meminfo`) under the root.
  public func path(_ absolute: String) -> String {
    prefix + absolute
  }

  /// The bytes of `path` (a path on disk, not under the root), at most `limit`
  /// bytes; `nil` when it cannot be opened or read.
  static func readFile(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while bytes.count < limit {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  /// The text of `errno` value `code`, such as `No such file or directory`.
  static func describe(errno code: Int32) -> String {
    String(cString: strerror(code))
  }
}
