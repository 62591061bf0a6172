import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// Which QEMU a program (a command line's first argument, with or without a path) is.
public enum QEMUProgram: Equatable, Sendable {
  /// `qemu-kvm`: always a KVM guest.
  case kvm
  /// `qemu-system-*`: a guest under KVM or under TCG, as its arguments say.
  case system

  /// The QEMU that `program` names by the last component of its path (trailing slashes
  /// ignored), or `nil` when it is another program. It looks at the bytes only, so a scan
  /// of `/proc` can rule a process out from the start of its command line, without reading
  /// or decoding the rest.
  public static func named(_ program: some BidirectionalCollection<UInt8>) -> QEMUProgram? {
    let slash = UInt8(ascii: "/")
    var path = program[...]
    while path.last == slash { path = path.dropLast() }
    let name =
      path.isEmpty ? program[...] : path[(path.lastIndex(of: slash).map(path.index(after:)) ?? path.startIndex)...]
    if name.elementsEqual("qemu-kvm".utf8) { return .kvm }
    return name.starts(with: "qemu-system-".utf8) ? .system : nil
  }
}

/// One running QEMU process found by ``QEMUProcesses/forEach(root:_:)``, valid only inside
/// the call that hands it over.
public struct QEMUProcess: ~Copyable {
  /// Its command line, split at NUL.
  public let arguments: [String]
  /// Which QEMU it runs.
  public let program: QEMUProgram
  fileprivate let proc: Int32
  fileprivate let name: UnsafeRawBufferPointer
  fileprivate let path: UnsafeMutableRawBufferPointer

  /// Its resident memory (`VmRSS` of `/proc/<pid>/status`), in kB; `nil` when it has ended
  /// or has none (a zombie).
  public func residentKilobytes() -> Int? {
    entry("status").flatMap { QEMUProcesses.residentKilobytes(status: $0) }
  }

  /// When it started, in clock ticks after the boot (field 22 of `/proc/<pid>/stat`); `nil`
  /// when it has ended.
  public func startTicks() -> Int? {
    entry("stat").flatMap { ProcessStat.startTicks(stat: $0) }
  }

  /// The bytes of `/proc/<pid>/<file>`; `nil` when the process has ended.
  private func entry(_ file: StaticString) -> [UInt8]? {
    let fd = QEMUProcesses.openEntry(in: proc, name, file, path: path)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    return RawFile.readRemaining(fd, into: &bytes, limit: RawFile.limit) ? bytes : nil
  }

  /// The guest's name as libvirt passes it (`-name guest=web,debug-threads=on`), or the plain
  /// `-name web` of a QEMU started by hand; `nil` without `-name`.
  public var guestName: String? {
    guard let index = arguments.firstIndex(of: "-name"), index + 1 < arguments.count else { return nil }
    let value = arguments[index + 1]
    // QEMU's option syntax: a "," inside a value is written ",,".
    var parts: [String] = []
    var current = ""
    var characters = Substring(value)
    while let character = characters.popFirst() {
      if character == "," {
        if characters.first == "," {
          current.append(",")
          characters.removeFirst()
        } else {
          parts.append(current)
          current = ""
        }
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    if let guest = parts.first(where: { $0.hasPrefix("guest=") }) { return String(guest.dropFirst("guest=".count)) }
    return parts.first.flatMap { $0.contains("=") ? nil : $0 }
  }
}

/// The one reader of running guests: the `qemu-system-*` and `qemu-kvm` processes among
/// the numeric entries of a root's `/proc`, whatever their accelerator (KVM or TCG). The
/// engine counts them (a module reload waits for none to run); the KSM tuner keeps the KVM
/// guests among them (`KVMGuests`). Foundation-free, for the daemon.
///
/// Every process costs one `open`, one `read` and one `close` of its `cmdline`, into one
/// buffer for the whole scan: a process whose program is not a QEMU is ruled out from that
/// first read, and the rest of its command line is never read. The process name in `comm`
/// is not used: it is the executable's file name (or what the process set), not the
/// `argv[0]` the selection is about. A process that ends while it is read is left out.
public enum QEMUProcesses {
  /// Calls `body` with each QEMU process under `root`'s `/proc`.
  public static func forEach(root: HostRoot, _ body: (borrowing QEMUProcess) -> Void) {
    guard let folder = try? root.openDescriptor("/proc", O_RDONLY | O_DIRECTORY) else { return }
    guard let directory = fdopendir(folder) else {
      close(folder)
      return
    }
    defer { closedir(directory) }
    let proc = dirfd(directory)
    let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    withUnsafeTemporaryAllocation(byteCount: firstReadSize + pathSize, alignment: 1) { scratch in
      let start = UnsafeMutableRawBufferPointer(rebasing: scratch[..<firstReadSize])
      let path = UnsafeMutableRawBufferPointer(rebasing: scratch[firstReadSize...])
      while let entry = readdir(directory) {
        let name = UnsafeRawBufferPointer(
          start: UnsafeRawPointer(entry) + nameOffset, count: strlen(UnsafeRawPointer(entry) + nameOffset))
        guard !name.isEmpty, name.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
          let (arguments, program) = commandLine(in: proc, process: name, start: start, path: path)
        else { continue }
        body(QEMUProcess(arguments: arguments, program: program, proc: proc, name: name, path: path))
      }
    }
  }

  /// How many QEMU processes run under `root`.
  public static func count(root: HostRoot) -> Int {
    var count = 0
    forEach(root: root) { _ in count += 1 }
    return count
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

  /// Bytes read from each `cmdline` at first: enough for any usual `argv[0]`.
  private static let firstReadSize = 1024
  /// Room for `<pid>/cmdline` and a NUL: `d_name` holds at most 255 bytes.
  private static let pathSize = 256 + 16

  /// The arguments and program of process `process` (its entry name in the `/proc`
  /// directory `proc`) when it runs a QEMU, else `nil`. `start` receives the first read of
  /// its `cmdline`, `path` the relative paths opened.
  private static func commandLine(
    in proc: Int32, process: UnsafeRawBufferPointer, start: UnsafeMutableRawBufferPointer,
    path: UnsafeMutableRawBufferPointer
  ) -> ([String], QEMUProgram)? {
    let fd = openEntry(in: proc, process, "cmdline", path: path)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    let count = RawFile.readOnce(fd, into: start)
    guard count > 0 else { return nil }
    let first = UnsafeRawBufferPointer(rebasing: start[..<count])
    // Without a NUL, argv[0] goes on past the first read (or the process
    // rewrote its command line as one string): the rest decides.
    if let end = first.firstIndex(of: 0), QEMUProgram.named(first[..<end]) == nil { return nil }
    var cmdline = Array(first)
    guard RawFile.readRemaining(fd, into: &cmdline, limit: RawFile.limit) else { return nil }
    let arguments = cmdline.split(separator: 0, omittingEmptySubsequences: false).dropLast(
      cmdline.last == 0 ? 1 : 0
    ).map { String(decoding: $0, as: UTF8.self) }
    guard let program = arguments.first.flatMap({ QEMUProgram.named($0.utf8) }) else { return nil }
    return (arguments, program)
  }

  /// Opens `<process>/<file>` in the directory `proc` for reading, the
  /// relative path written into `path`; the descriptor, or -1.
  fileprivate static func openEntry(
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
