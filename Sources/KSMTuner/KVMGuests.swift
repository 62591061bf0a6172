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
    let name = program.split(separator: "/").last.map(String.init) ?? program
    if name == "qemu-kvm" { return true }
    guard name.hasPrefix("qemu-system-") else { return false }
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

  /// The `VmRSS` of a `/proc/<pid>/status` text, in kB; `nil` when absent (a zombie).
  public static func residentKilobytes(status bytes: some Collection<UInt8>) -> Int? {
    for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("VmRSS:".utf8)) {
      let fields = line.dropFirst("VmRSS:".utf8.count).split(whereSeparator: {
        $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t")
      })
      return fields.first.flatMap { Int(String(decoding: $0, as: UTF8.self)) }
    }
    return nil
  }

  /// The summed `VmRSS` (kB) of the KVM guests among the numeric entries of
  /// `/proc` under `root`; 0 when there is none. A process that ends while it
  /// is being read counts as absent.
  public static func committedMemory(root: HostRoot) -> Int {
    let proc = root.path("/proc")
    guard let directory = opendir(proc) else { return 0 }
    defer { closedir(directory) }
    var sum = 0
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
        let cmdline = HostRoot.readFile(proc + "/" + name + "/cmdline"), !cmdline.isEmpty
      else { continue }
      let arguments = cmdline.split(separator: 0, omittingEmptySubsequences: false).dropLast(
        cmdline.last == 0 ? 1 : 0
      ).map { String(decoding: $0, as: UTF8.self) }
      guard isKVMGuest(arguments: arguments), let status = HostRoot.readFile(proc + "/" + name + "/status"),
        let resident = residentKilobytes(status: status)
      else { continue }
      sum &+= resident
    }
    return sum
  }
}
