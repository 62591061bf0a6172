import HostProcesses
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The KVM guests among a root's QEMU processes (``HostProcesses/QEMUProcesses``, the one
/// reader of running guests) and their summed resident memory: ksmtuned's
/// `committed_memory`, without `pgrep` or `ps`. The KVM-only filter is the tuner's own.
public enum KVMGuests {
  /// Whether a process with these arguments (`/proc/<pid>/cmdline`, split at
  /// NUL) is a KVM guest: a `qemu-kvm`, or a `qemu-system-*` given
  /// `-enable-kvm`, `-accel kvm…` or `-machine …accel=kvm…`. The program may
  /// be named with a path. Not a TCG guest, not other programs.
  public static func isKVMGuest(arguments: [String]) -> Bool {
    guard let program = arguments.first else { return false }
    switch QEMUProgram.named(program.utf8) {
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

  /// The summed `VmRSS` (kB) of the KVM guests among the QEMU processes under `root`
  /// (``HostProcesses/QEMUProcesses``); 0 when there is none.
  public static func committedMemory(root: HostRoot) -> Int {
    var sum = 0
    QEMUProcesses.forEach(root: root) { process in
      guard isKVMGuest(arguments: process.arguments), let resident = process.residentKilobytes() else { return }
      sum &+= resident
    }
    return sum
  }
}
