import HostProcesses
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// Whether the QEMU driver's daemon (`libvirtd`, `virtqemud`) has read the files it reads only
/// when it starts (qemu.conf, the hugetlbfs mount units), and which running guests started
/// before those files last changed: they keep the settings they started with.
///
/// Times come from the root's files: the daemon's own pid file (`/run/libvirtd.pid`, checked
/// against `/proc/PID/comm`), `starttime` of `/proc/PID/stat` after `btime` of `/proc/stat`,
/// and the files' modification times. Reading only.
public struct QemuDriverRestart: Sendable, Equatable {
  /// A file the daemon reads at start and when it last changed.
  public struct Change: Sendable, Equatable {
    /// The file, from the root.
    public var path: String
    /// Its modification time, in nanoseconds since the epoch.
    public var modified: Int

    /// A change of `path` at `modified`.
    public init(path: String, modified: Int) {
      self.path = path
      self.modified = modified
    }
  }

  /// The daemon's unit (`libvirtd.service`).
  public var daemon: String
  /// The daemon's start, in nanoseconds since the epoch; `nil` when it does not run (no pid
  /// file, or one naming another process) or `/proc` cannot tell.
  public var started: Int?
  /// The newest change among the files; `nil` when none exists.
  public var lastChange: Change?
  /// The running guests (their `-name`) that started before ``lastChange``, in `/proc` order.
  public var guestsOnOldSettings: [String]

  /// How far apart two times must be to count as before and after: `btime` is whole seconds,
  /// so a start computed from it may be up to a second early.
  public static let margin = 1_000_000_000

  /// Whether the daemon runs and started before the files' last change: a restart is owed.
  public var restartOwed: Bool {
    guard let started, let lastChange else { return false }
    return started + Self.margin < lastChange.modified
  }

  /// Reads the state of `daemon` (a unit name) against `files` under `root`.
  public static func read(_ root: HostRoot, daemon: String, files: [String]) -> QemuDriverRestart {
    let lastChange = files.compactMap { path in root.status(path).map { Change(path: path, modified: $0.modified) } }
      .max { $0.modified < $1.modified }
    let boot = BootTime.read(root)
    let start = { (ticks: Int?) -> Int? in
      guard let boot, let ticks else { return nil }
      return boot * 1_000_000_000 + ticks * (1_000_000_000 / clockTicksPerSecond)
    }
    let program = daemon.hasSuffix(".service") ? String(daemon.dropLast(".service".count)) : daemon
    var started: Int?
    if let text = (try? root.text("/run/\(program).pid")) ?? nil, let pid = Int(text.filter { !$0.isWhitespace }),
      ((try? root.text("/proc/\(pid)/comm")) ?? nil)?.filter({ !$0.isNewline }) == program
    {
      started = start(ProcessStat.startTicks(root: root, pid: pid))
    }
    var guests: [String] = []
    if let lastChange {
      QEMUProcesses.forEach(root: root) { process in
        guard let began = start(process.startTicks()), began + margin < lastChange.modified else { return }
        guests.append(process.guestName ?? process.arguments[0])
      }
    }
    return QemuDriverRestart(daemon: daemon, started: started, lastChange: lastChange, guestsOnOldSettings: guests)
  }

  /// The kernel's clock ticks per second (`USER_HZ`), in which `/proc/PID/stat` counts.
  static let clockTicksPerSecond = max(1, sysconf(Int32(_SC_CLK_TCK)))
}
