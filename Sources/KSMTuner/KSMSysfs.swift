import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The KSM control files, `/sys/kernel/mm/ksm/*` under a root.
public struct KSMSysfs: Sendable {
  /// The root the files are under.
  public let root: HostRoot

  /// The control files under `root`.
  public init(root: HostRoot) {
    self.root = root
  }

  /// Writes `value` and a newline to the file `name` (`run`, `pages_to_scan`,
  /// `sleep_millisecs`), as `echo value > file` does, but never creates it.
  ///
  /// - Returns: `nil` on success, else one sentence naming the file and the error.
  public func write(_ value: Int, to name: String) -> String? {
    let path = root.daemonPath("/sys/kernel/mm/ksm/" + name)
    let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
    guard fd >= 0 else {
      return "cannot write \(value) to \(path): \(RawFile.describe(errno: errno))"
    }
    let text = Array("\(value)\n".utf8)
    var written = 0
    var failure: Int32 = 0
    while written < text.count {
      let count = text[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        failure = errno
        break
      }
      written += count
    }
    if close(fd) != 0 && failure == 0 { failure = errno }
    return failure == 0 ? nil : "cannot write \(value) to \(path): \(RawFile.describe(errno: failure))"
  }
}
