import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The kernel's messages since boot: the file `/var/log/dmesg` where the distribution saves
/// it (CentOS, RHEL), else, on the live root only, the running kernel's ring buffer read from
/// `/dev/kmsg` without blocking (systemd hosts, Debian and Ubuntu save no `/var/log/dmesg`).
///
/// Lines have `dmesg`'s form, `[    0.318377] iommu: Default domain type: Translated`, so that
/// one filter reads both sources. An offline root's `dev/kmsg` is never opened: its kernel
/// is not running.
public enum KernelRingBuffer {
  /// The boot log a distribution writes at start-up.
  public static let bootLogPath = "/var/log/dmesg"
  /// The live kernel's log device.
  public static let devicePath = "/dev/kmsg"
  /// The most records read, far more than a ring buffer holds.
  static let recordLimit = 200_000

  /// The boot log of the host at `root`: `/var/log/dmesg` when present, else the ring buffer
  /// on the live root; unknown (with both reasons) otherwise.
  public static func bootLog(_ root: HostRoot) -> Fact<[String]> {
    switch root.textFact(bootLogPath) {
    case .success(let text):
      return .known(text.split(separator: "\n").map(String.init), source: bootLogPath)
    case .failure(let problem):
      let reason = problem.description
      guard root.isLive else {
        return .unknown("\(reason); the ring buffer (\(devicePath)) is read only on the live root", source: bootLogPath)
      }
      let live = messages(root)
      return live.value == nil
        ? .unknown("\(reason), \(live.unknown ?? "")", source: "\(bootLogPath), \(devicePath)") : live
    }
  }

  /// The running kernel's messages from `/dev/kmsg`, oldest first; unknown under a root other
  /// than `/`, or when the device cannot be read (`dmesg_restrict` for a user without
  /// `CAP_SYSLOG`).
  public static func messages(_ root: HostRoot) -> Fact<[String]> {
    guard root.isLive else {
      return .unknown("the ring buffer is read only on the live root", source: devicePath)
    }
    let descriptor: Int32
    do {
      descriptor = try root.openDescriptor(devicePath, O_RDONLY | O_NONBLOCK | O_NOCTTY)
    } catch .tooManyLinks {
      return .unknown("\(devicePath) has too many levels of symbolic links", source: devicePath)
    } catch .notFound {
      return .unknown("\(devicePath): \(String(cString: strerror(ENOENT)))", source: devicePath)
    } catch .system(_, _, let reason) {
      return .unknown("\(devicePath): \(reason)", source: devicePath)
    } catch {
      return .unknown("\(error)", source: devicePath)
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else {
      return .unknown("\(devicePath) is not a character device", source: devicePath)
    }
    var lines: [String] = []
    // One read returns one record; 8 KiB exceeds the kernel's record size (1 KiB text).
    let failure = withUnsafeTemporaryAllocation(byteCount: 8192, alignment: 1) { buffer -> Int32? in
      while lines.count < recordLimit {
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        if count < 0 {
          switch errno {
          case EINTR, EPIPE: continue  // EPIPE: the record was overwritten; the next read goes on
          case EAGAIN: return nil
          default: return errno
          }
        }
        if count == 0 { return nil }
        if let line = record(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
          lines.append(contentsOf: line.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
      }
      return nil
    }
    if let failure {
      return .unknown("\(devicePath): \(String(cString: strerror(failure)))", source: devicePath)
    }
    return .known(lines, source: devicePath)
  }

  /// One `/dev/kmsg` record (`priority,sequence,microseconds,flags;text\n` then ` KEY=value`
  /// lines) as `dmesg` prints it, its `\xNN` escapes decoded: a message of several lines has
  /// its later lines indented under the first one's text. `nil` when malformed.
  static func record<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
    let raw = Array(bytes)
    guard let semicolon = raw.firstIndex(of: UInt8(ascii: ";")) else { return nil }
    let header = raw[..<semicolon].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    guard header.count >= 3, let micros = Int(String(decoding: header[2], as: UTF8.self)) else { return nil }
    let body = raw[(semicolon + 1)...]
    let end = body.firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
    var text: [UInt8] = []
    var index = body.startIndex
    while index < end {
      if body[index] == UInt8(ascii: "\\"), index + 4 <= end, body[index + 1] == UInt8(ascii: "x"),
        let value = UInt8(String(decoding: body[(index + 2)..<(index + 4)], as: UTF8.self), radix: 16)
      {
        text.append(value)
        index += 4
      } else {
        text.append(body[index])
        index += 1
      }
    }
    let seconds = String(micros / 1_000_000)
    let fraction = String(micros % 1_000_000)
    let stamp =
      String(repeating: " ", count: max(0, 5 - seconds.count)) + seconds + "."
      + String(repeating: "0", count: 6 - fraction.count) + fraction
    let prefix = "[\(stamp)] "
    return prefix
      + String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .joined(separator: "\n" + String(repeating: " ", count: prefix.count))
  }
}
