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

  /// The most bytes read from one host file (1 MiB): more than any `/proc` or
  /// sysfs file the daemon reads holds, short of a runaway command line.
  static let fileLimit = 1 << 20

  /// The bytes of `path` (a path on disk, not under the root), at most `limit`
  /// bytes; `nil` when it cannot be opened or read.
  static func readFile(_ path: String, limit: Int = fileLimit) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    return readRemaining(fd, into: &bytes, limit: limit) ? bytes : nil
  }

  /// Appends what is left to read from `fd` to `bytes`, until the end of the
  /// file or until `bytes` holds `limit` bytes; false on a read error.
  /// Reads go through a stack buffer, so the only allocations are `bytes`'s.
  static func readRemaining(_ fd: Int32, into bytes: inout [UInt8], limit: Int) -> Bool {
    withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 1) { chunk in
      while bytes.count < limit {
        let count = readOnce(
          fd, into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<min(chunk.count, limit - bytes.count)]))
        if count < 0 { return false }
        if count == 0 { break }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<count]))
      }
      return true
    }
  }

  /// One `read` of `fd` into `buffer`, retried when a signal interrupts it:
  /// the count read (0 at the end of the file), or -1 on an error.
  static func readOnce(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
      let count = read(fd, buffer.baseAddress, buffer.count)
      if count < 0 && errno == EINTR { continue }
      return count
    }
  }

  /// The text of `errno` value `code`, such as `No such file or directory`.
  static func describe(errno code: Int32) -> String {
    String(cString: strerror(code))
  }
}
