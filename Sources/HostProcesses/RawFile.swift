import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// Plain `read(2)` and `write(2)` calls into a stack buffer, for the `/proc` scans of
/// ``QEMUProcesses`` and the daemon's every-cycle reads of sysfs and its pidfile, where the
/// root layer's checked reads would cost more than the scan itself. Paths under the root
/// come from ``RootFS/HostRoot``. Foundation-free, as the daemon is.
public enum RawFile {
  /// The most bytes read from one file (1 MiB): more than any `/proc` or sysfs file the
  /// daemon reads holds, short of a runaway command line.
  public static let limit = 1 << 20

  /// The bytes of `path` (a path on this machine), at most `limit` bytes; `nil` when it
  /// cannot be opened or read.
  public static func read(_ path: String, limit: Int = limit) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    return readRemaining(fd, into: &bytes, limit: limit) ? bytes : nil
  }

  /// Appends what is left to read from `fd` to `bytes`, until the end of the
  /// file or until `bytes` holds `limit` bytes; false on a read error.
  /// Reads go through a stack buffer, so the only allocations are `bytes`'s.
  public static func readRemaining(_ fd: Int32, into bytes: inout [UInt8], limit: Int) -> Bool {
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
  public static func readOnce(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
      let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if count < 0 && errno == EINTR { continue }
      return count
    }
  }

  /// Writes all of `bytes` to `fd`, retrying after a signal or a short write: 0, or the
  /// `errno` of the write that failed.
  public static func write(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if count == 0 { return EIO }
      offset += count
    }
    return 0
  }

  /// The text of `errno` value `code`, such as `No such file or directory`.
  public static func describe(errno code: Int32) -> String {
    String(cString: strerror(code))
  }
}

extension HostRoot {
  /// The bytes of `path` (from the root, links resolved inside it), at most `limit` bytes,
  /// through ``RawFile``; `nil` when it cannot be opened or read. How the daemon reads live
  /// kernel files every cycle.
  public func rawRead(_ path: String, limit: Int = RawFile.limit) -> [UInt8]? {
    guard let fd = try? openDescriptor(path, O_RDONLY) else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    return RawFile.readRemaining(fd, into: &bytes, limit: limit) ? bytes : nil
  }
}
