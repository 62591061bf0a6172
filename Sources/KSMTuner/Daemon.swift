import HostProcesses
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The tuning loop: reads the settings and MemTotal, then every
/// `KSM_MONITOR_INTERVAL` seconds (or at once on SIGUSR1) measures, decides with
/// ``KSMTuning`` and writes KSM's sysfs files. SIGHUP re-reads the settings;
/// SIGTERM and SIGINT end it, removing the pidfile. It never starts a child.
final class Daemon {
  private let root: HostRoot
  private let options: DaemonOptions
  private let log = DebugLog(file: nil, enabled: false)
  private let sysfs: KSMSysfs
  private var tuning: KSMTuning?
  private var npages = 0
  private let metricsFile: MetricsFile?
  private var cycles = 0
  private var lastCycle: KSMMetrics.Cycle?

  init(root: HostRoot, options: DaemonOptions) {
    self.root = root
    self.options = options
    self.sysfs = KSMSysfs(root: root)
    self.metricsFile = options.metricsFile.map { MetricsFile(path: Self.absolute($0)) }
  }

  /// Runs until a terminating signal (or one cycle with `--once`); returns the exit status.
  func run() -> Int32 {
    var signals = Self.blockSignals()
    let pidfilePath = Self.absolute(options.pidfile ?? root.ownFilePath(DaemonOptions.defaultPidfile))
    if options.once {
      if let pid = PidFile.livePid(at: pidfilePath) {
        log.problem("already running as pid \(pid) (\(pidfilePath)); not running a cycle beside it")
        return 1
      }
      warnAboutTheMetricsFolder()
      guard configure() else { return 1 }
      cycle()
      return 0
    }
    let pidfile: PidFile
    switch PidFile.acquire(pidfilePath) {
    case .success(let file): pidfile = file
    case .failure(let failure):
      log.problem(failure.description)
      return 1
    }
    if !options.foreground { detach() }
    warnAboutTheMetricsFolder()
    guard configure() else {
      pidfile.release()
      return 1
    }
    publishMetrics()  // KSM's counters from the start, before the first cycle's decision
    var deadline = Self.now() + interval
    while true {
      let remaining = deadline - Self.now()
      if remaining <= 0 {
        cycle()
        deadline = Self.now() + interval
        continue
      }
      var timeout = timespec(tv_sec: Int(remaining / 1_000_000_000), tv_nsec: Int(remaining % 1_000_000_000))
      switch sigtimedwait(&signals, nil, &timeout) {
      case SIGUSR1:
        cycle()
        deadline = Self.now() + interval
      case SIGHUP:
        _ = configure()
        deadline = min(deadline, Self.now() + interval)
      case SIGTERM, SIGINT:
        pidfile.release()
        return 0
      default:
        continue  // the timeout, or an interruption: the deadline decides
      }
    }
  }

  /// `KSM_MONITOR_INTERVAL` in nanoseconds (at most 2³² s, so the deadline cannot overflow).
  private var interval: Int64 {
    let seconds = tuning?.settings.monitorInterval ?? KSMSettings().monitorInterval
    return Int64(min(seconds, 1 << 32)) * 1_000_000_000
  }

  /// Reads the settings (keeping the current ones when the file does not
  /// parse) and MemTotal, and logs ksmtuned's start lines. Returns false when
  /// MemTotal cannot be read and there is no earlier value to keep.
  private func configure() -> Bool {
    var settings = tuning?.settings ?? KSMSettings()
    var problems: [String] = []
    do {
      (settings, problems) = try KSMSettings.read(root: root)
    } catch {
      // A file problem's description starts with its path from the root.
      let place = error.namesTheFile ? (root.isLive ? "" : root.path) : root.describe(KSMSettings.file) + ": "
      problems = [place + "\(error); keeping the settings in use"]
    }
    log.enabled = settings.debug
    log.file = settings.logFile.map { root.ownFilePath($0.hasPrefix("/") ? $0 : "/" + $0) }
    for problem in problems { log.problem(problem) }
    guard let total = MemInfo.read(root: root)?.total, total > 0 else {
      log.problem("cannot read MemTotal from \(root.describe("/proc/meminfo"))")
      return tuning != nil
    }
    let tuning = KSMTuning(total: total, settings: settings)
    self.tuning = tuning
    for message in tuning.startMessages { log.debug(message) }
    return true
  }

  /// One cycle: measure, decide, write (logging each failed write; the next
  /// cycle writes again), with ksmtuned's debug lines in ksmtuned's order; then
  /// the metrics, when asked for.
  private func cycle() {
    defer { publishMetrics() }
    guard let tuning else { return }
    guard let free = MemInfo.read(root: root)?.free else {
      log.problem("cannot read free memory from \(root.describe("/proc/meminfo")); skipping this cycle")
      return
    }
    let committed = KVMGuests.committedMemory(root: root)
    let decision = tuning.decide(committed: committed, free: free, npages: npages)
    npages = decision.npages
    for message in decision.messages.dropLast() { log.debug(message) }
    for write in decision.action.writes {
      if let failure = sysfs.write(write.value, to: write.file) {
        log.problem(failure + "; retrying next cycle")
      }
    }
    if let last = decision.messages.last { log.debug(last) }
    cycles += 1
    lastCycle = KSMMetrics.Cycle(
      decision: decision, committed: committed, free: free, threshold: tuning.thres, time: time(nil))
  }

  /// Says once, at the start, when others than root and its group can write the metrics folder.
  private func warnAboutTheMetricsFolder() {
    if let warning = metricsFile?.folderWarning() { log.problem(warning) }
  }

  /// Replaces the `--metrics-file` with KSM's counters as they are now and the tuner's state;
  /// a failure is logged and the next cycle writes again.
  private func publishMetrics() {
    guard let metricsFile else { return }
    var metrics = KSMMetrics.read(sysfs: sysfs)
    metrics.cycles = cycles
    metrics.lastCycle = lastCycle
    if let failure = metricsFile.replace(with: metrics.exposition) {
      log.problem(failure + "; retrying next cycle")
    }
  }

  /// Leaves the terminal and its session without forking: a new session when
  /// possible, `/` as working directory, stdio on /dev/null, no descriptor
  /// inherited from the launcher (one would keep it waiting), problems to syslog.
  private func detach() {
    _ = setsid()
    _ = chdir("/")
    let null = open("/dev/null", O_RDWR)
    if null >= 0 {
      for fd: Int32 in 0...2 { dup2(null, fd) }
      if null > 2 { close(null) }
    }
    var inherited: [Int32] = []
    if let directory = opendir("/proc/self/fd") {
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if let fd = Int32(name), fd > 2, fd != dirfd(directory) { inherited.append(fd) }
      }
      closedir(directory)
    }
    for fd in inherited { close(fd) }
    log.detach()
  }

  /// Blocks the signals the loop waits for, after restoring their default
  /// disposition (a shell starting a background job ignores SIGINT).
  private static func blockSignals() -> sigset_t {
    var set = sigset_t()
    sigemptyset(&set)
    for number in [SIGUSR1, SIGHUP, SIGTERM, SIGINT] {
      signal(number, SIG_DFL)
      sigaddset(&set, number)
    }
    signal(SIGPIPE, SIG_IGN)
    pthread_sigmask(SIG_BLOCK, &set, nil)
    return set
  }

  private static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }

  private static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let cwd = getcwd(nil, 0) else { return path }
    defer { free(cwd) }
    return String(cString: cwd) + "/" + path
  }
}
