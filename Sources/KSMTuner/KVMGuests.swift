import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// Finds the KVM guests among a root's processes and sums their resident memory:
/// ksmtuned's `committed_memory`, without `pgrep` or `ps`.
public enum KVMGuests {
  /// Whether a process with these arguments (`/proc/<pid>/cmdline`, split at
  /// NUL) is a KVM guest: a `qemu-kvm`, or a `qemu-system-*` given
  /// `-enable-kvm`, `-accel kvm…` or `-machine …accel=kvm…`. The program may
  /// be named with a path. Not a TCG guest, not other programs.
  public static func isKVMGuest(arguments: [String]) -> Bool {
    guard let program = arguments.first else { return false }
    switch qemuProgram(program.utf8) {
    case .kvm: return true
    case .system: break
    case nil: return false
    }
    var index = 1
    while index < arguments.count {
      let argument = arguments[index]
      let next = index + 1 < arguments.count ? arguments[index + 1] : ""
      switch argument {
      case "-enable-kvm", "--enable-kvm":
        return true
      case "-accel", "--accel":
        if next == "kvm" || next.hasPrefix("kvm,") { return true }
      case "-machine", "--machine", "-M":
        for option in next.split(separator: ",") where option.hasPrefix("accel=") {
          if option.dropFirst("accel=".count).split(separator: ":").first == "kvm" { return true }
        }
      default:
        break
      }
      index += 1
    }
    return false
  }

  /// Which QEMU a program (a command line's first argument, with or without a
  /// path) is.
  enum QEMUProgram: Equatable {
    /// `qemu-kvm`: always a KVM guest.
    case kvm
    /// `qemu-system-*`: a KVM guest only when its arguments ask for KVM.
    case system
  }

  /// The QEMU that `program` names by the last component of its path
  /// (trailing slashes ignored), or `nil` when it is another program. It
  /// looks at the bytes only, so a scan of `/proc` can rule a process out
  /// from the start of its command line, without reading or decoding the rest.
  static func qemuProgram(_ program: some BidirectionalCollection<UInt8>) -> QEMUProgram? {
    let slash = UInt8(ascii: "/")
    var path = program[...]
    while path.last == slash { path = path.dropLast() }
    let name =
      path.isEmpty ? program[...] : path[(path.lastIndex(of: slash).map(path.index(after:)) ?? path.startIndex)...]
    if name.elementsEqual("qemu-kvm".utf8) { return .kvm }
    return name.starts(with: "qemu-system-".utf8) ? .system : nil
  }

  /// The `VmRSS` of a `/proc/<pid>/status` text, in kB; `nil` when absent (a zombie).
  public static func residentKilobytes(status bytes: some Collection<UInt8>) -> Int? {
    for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: "VmRSS:".utf8) {
      let fields = line.dropFirst("VmRSS:".utf8.count).split(whereSeparator: {
        $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t")
      })
      return fields.first.flatMap { Int(decimal: $0) }
    }
    return nil
  }

  /// The summed `VmRSS` (kB) of the KVM guests among the numeric entries of
  /// `/proc` under `root`; 0 when there is none. A process that ends while it
  /// is being read counts as absent.
  ///
  /// Every process costs one `open`, one `read` and one `close` of its
  /// `cmdline`, into one buffer for the whole scan: a process whose program
  /// is not a QEMU is ruled out from that first read, and its status and the
  /// rest of its command line are never read. Only QEMU processes have their
  /// arguments decoded (``isKVMGuest(arguments:)``) and their `status` read.
  /// The process name in `comm` is not used: it is the executable's file name
  /// (or what the process set), not the `argv[0]` the selection is about.
  public static func committedMemory(root: HostRoot) -> Int {
    guard let directory = opendir(root.daemonPath("/proc")) else { return 0 }
    defer { closedir(directory) }
    let proc = dirfd(directory)
    let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    return withUnsafeTemporaryAllocation(byteCount: firstReadSize + pathSize, alignment: 1) { scratch in
      let start = UnsafeMutableRawBufferPointer(rebasing: scratch[..<firstReadSize])
      let path = UnsafeMutableRawBufferPointer(rebasing: scratch[firstReadSize...])
      var sum = 0
      while let entry = readdir(directory) {
        let name = UnsafeRawBufferPointer(
          start: UnsafeRawPointer(entry) + nameOffset, count: strlen(UnsafeRawPointer(entry) + nameOffset))
        guard !name.isEmpty, name.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
          let resident = guestResidentKilobytes(in: proc, process: name, start: start, path: path)
        else { continue }
        sum &+= resident
      }
      return sum
    }
  }

  /// Bytes read from each `cmdline` at first: enough for any usual `argv[0]`.
  private static let firstReadSize = 1024
  /// Room for `<pid>/cmdline` and a NUL: `d_name` holds at most 255 bytes.
  private static let pathSize = 256 + 16

  /// The VmRSS (kB) of process `process` (its entry name in the `/proc`
  /// directory `proc`) when it is a KVM guest, else `nil`. `start` receives the
  /// first read of its `cmdline`, `path` the relative paths opened.
  private static func guestResidentKilobytes(
    in proc: Int32, process: UnsafeRawBufferPointer, start: UnsafeMutableRawBufferPointer,
    path: UnsafeMutableRawBufferPointer
  ) -> Int? {
    let fd = openEntry(in: proc, process, "cmdline", path: path)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    let count = RawFile.readOnce(fd, into: start)
    guard count > 0 else { return nil }
    let first = UnsafeRawBufferPointer(rebasing: start[..<count])
    // Without a NUL, argv[0] goes on past the first read (or the process
    // rewrote its command line as one string): the rest decides.
    if let end = first.firstIndex(of: 0), qemuProgram(first[..<end]) == nil { return nil }
    var cmdline = Array(first)
    guard RawFile.readRemaining(fd, into: &cmdline, limit: RawFile.limit) else { return nil }
    let arguments = cmdline.split(separator: 0, omittingEmptySubsequences: false).dropLast(
      cmdline.last == 0 ? 1 : 0
    ).map { String(decoding: $0, as: UTF8.self) }
    guard isKVMGuest(arguments: arguments) else { return nil }
    let status = openEntry(in: proc, process, "status", path: path)
    guard status >= 0 else { return nil }
    defer { close(status) }
    var bytes: [UInt8] = []
    guard RawFile.readRemaining(status, into: &bytes, limit: RawFile.limit) else { return nil }
    return residentKilobytes(status: bytes)
  }

  /// Opens `<process>/<file>` in the directory `proc` for reading, the
  /// relative path written into `path`; the descriptor, or -1.
  private static func openEntry(
    in proc: Int32, _ process: UnsafeRawBufferPointer, _ file: StaticString, path: UnsafeMutableRawBufferPointer
  ) -> Int32 {
    let length = process.count + 1 + file.utf8CodeUnitCount
    guard length < path.count, let base = path.baseAddress, let name = process.baseAddress else { return -1 }
    base.copyMemory(from: name, byteCount: process.count)
    base.storeBytes(of: UInt8(ascii: "/"), toByteOffset: process.count, as: UInt8.self)
    (base + process.count + 1).copyMemory(from: file.utf8Start, byteCount: file.utf8CodeUnitCount)
    base.storeBytes(of: 0, toByteOffset: length, as: UInt8.self)
    return openat(proc, base.assumingMemoryBound(to: CChar.self), O_RDONLY | O_CLOEXEC)
  }
}
