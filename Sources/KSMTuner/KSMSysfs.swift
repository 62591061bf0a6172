import HostProcesses
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
    let file = "/sys/kernel/mm/ksm/" + name
    let path = root.describe(file)
    let fd: Int32
    do {
      fd = try root.openDescriptor(file, O_WRONLY | O_TRUNC)
    } catch {
      return "cannot write \(value) to \(path): \(error.reason)"
    }
    var failure = RawFile.write(fd, Array("\(value)\n".utf8))
    if close(fd) != 0 && failure == 0 { failure = errno }
    return failure == 0 ? nil : "cannot write \(value) to \(path): \(RawFile.describe(errno: failure))"
  }

  /// The number in the file `name` (`full_scans`, `general_profit`…), as the kernel
  /// writes it (`value\n`); `nil` when the file is missing or holds no number.
  public func read(_ name: String) -> Int? {
    guard var bytes = root.rawRead("/sys/kernel/mm/ksm/" + name, limit: 64) else { return nil }
    if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
    return Int(decimal: bytes)
  }
}
