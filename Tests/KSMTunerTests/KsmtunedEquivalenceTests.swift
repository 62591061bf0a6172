import Foundation
import TestSupport
import Testing

/// Runs `program` in a private mount namespace where the given files stand at
/// /proc/meminfo, /sys/kernel/mm/ksm and /etc/ksmtuned.conf. The live files are
/// never written: the script stops before `exec` unless the fixture's marker is
/// what /sys/kernel/mm/ksm shows.
private let namespaceScript = """
  set -e
  mount --bind "$1" /proc/meminfo
  mount --bind "$2" /sys/kernel/mm/ksm
  mount --bind "$3" /etc/ksmtuned.conf
  test -f /sys/kernel/mm/ksm/.virthost-fixture
  shift 3
  exec "$@"
  """

/// One tuner under test: its fixture files, its log and its sysfs writes.
private final class Side {
  let directory: String
  let meminfo: String
  let ksm: String
  let log: String
  let pidfile: String
  let watcher: KSMWatcher
  var process: ChildProcess?
  /// The pid that takes SIGUSR1 and the system call it blocks in between cycles.
  var tunerPid: pid_t = 0
  let waitSyscall: String
  private var linesSeen = 0

  init(_ directory: String, seed: String, waitSyscall: String) throws {
    self.directory = directory
    self.waitSyscall = waitSyscall
    let manager = FileManager.default
    try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
    meminfo = directory + "/meminfo"
    ksm = directory + "/ksm"
    log = directory + "/ksmtuned.log"
    pidfile = directory + "/tuner.pid"
    try manager.copyItem(atPath: seed + "/sys/kernel/mm/ksm", toPath: ksm)
    try Data().write(to: URL(fileURLWithPath: ksm + "/.virthost-fixture"))
    try "KSM_MONITOR_INTERVAL=3600\nDEBUG=1\nLOGFILE=\(log)\n".write(
      toFile: directory + "/ksmtuned.conf", atomically: false, encoding: .utf8)
    try meminfoText(total: 500_000, free: 250_000).write(toFile: meminfo, atomically: false, encoding: .utf8)
    watcher = try KSMWatcher(ksm)
  }

  func start(_ command: [String], environment: [String: String]) throws {
    process = try ChildProcess(
      "/usr/bin/unshare",
      [
        "unshare", "-m", "--propagation", "private", "sh", "-c", namespaceScript, "sh", meminfo, ksm,
        directory + "/ksmtuned.conf",
      ] + command,
      environment: environment, newSession: true, output: directory + "/output")
  }

  /// Waits until the tuner is blocked between cycles, signals it, and returns
  /// the cycle's messages (dates removed) and its sysfs writes.
  func cycle() throws -> (messages: [String], writes: [String]) {
    guard eventually({ blockedSyscall(tunerPid) == waitSyscall }) else {
      throw Failure("pid \(tunerPid) never waited for a signal (\(directory))")
    }
    kill(tunerPid, SIGUSR1)
    var lines: [Substring] = []
    let ended = eventually {
      lines = contents(log).split(separator: "\n").dropFirst(linesSeen).map { $0 }
      guard let last = lines.last else { return false }
      return last.hasSuffix(", stop ksm") || last.contains(": KSMCTL start ")
    }
    guard ended else { throw Failure("no complete cycle in \(log): \(lines)") }
    linesSeen += lines.count
    for line in lines {
      #expect(line.wholeMatch(of: /[A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3][0-9] \d\d:\d\d:\d\d \S+ \d{4}: .+/) != nil)
    }
    let messages = lines.map { line in String(line[line.range(of: ": ")!.upperBound...]) }
    return (messages, watcher.writes())
  }
}

private struct Failure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The pids `pgrep -f '^qemu-system.*-enable-kvm'` finds: the guests Debian's ksmtuned counts.
private func pgrepGuests() throws -> Set<pid_t> {
  let pgrep = Process()
  pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
  pgrep.arguments = ["-f", "^qemu-system.*-enable-kvm"]
  let pipe = Pipe()
  pgrep.standardOutput = pipe
  try pgrep.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  pgrep.waitUntilExit()
  return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { pid_t($0) })
}

@Suite(.serialized) struct KsmtunedEquivalenceTests {
  /// The same memory trace, step by step, to Debian's unmodified
  /// /usr/sbin/ksmtuned and to virthost-ksmtuned, each in its own private
  /// mount namespace where its fixture meminfo, KSM directory and conf stand
  /// at the real paths. Committed memory is real for both: decoy guests (perl
  /// processes named qemu-system-x86_64 holding known memory) that pgrep/ps and
  /// the daemon's /proc scan both see on the one live /proc.
  @Test func daemonAndDebianKsmtunedWriteTheSameSequenceForOneTrace() throws {
    #expect(getuid() == 0, "needs root for private mount namespaces")
    let base = NSTemporaryDirectory() + "virthost-equivalence-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: base) }
    let seed = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/root").path
    let bash = try Side(base + "/bash", seed: seed, waitSyscall: "61")  // wait4 in `wait $!`
    let daemon = try Side(base + "/daemon", seed: seed, waitSyscall: "128")  // rt_sigtimedwait

    // Guests: a small KVM guest and a TCG guest that never counts; a big KVM guest comes and goes.
    let small = try DecoyGuest(kvm: true, megabytes: 40, directory: base)
    let tcg = try DecoyGuest(kvm: false, megabytes: 20, directory: base)
    defer {
      small.stop()
      tcg.stop()
    }
    var big: DecoyGuest?
    defer { big?.stop() }

    var environment = ProcessInfo.processInfo.environment
    environment["PIDFILE"] = bash.pidfile
    try bash.start(["/usr/sbin/ksmtuned"], environment: environment)
    defer { bash.process?.stop(group: true) }
    try daemon.start([daemonBinary, "--foreground", "--pidfile", daemon.pidfile], environment: environment)
    defer { daemon.process?.stop() }

    #expect(bash.process?.wait(timeout: 10) == 0)
    try #require(eventually { pid_t(contents(bash.pidfile).trimmingCharacters(in: .whitespacesAndNewlines)) != nil })
    bash.tunerPid = pid_t(contents(bash.pidfile).trimmingCharacters(in: .whitespacesAndNewlines))!
    daemon.tunerPid = try #require(daemon.process?.pid)
    try #require(eventually { contents(daemon.pidfile) == "\(daemon.tunerPid)\n" })

    // MemTotal 500000 kB: thres 100000, sleep 335. The small guest fits, the big one does not.
    let steps: [(free: Int, big: Bool, writes: [String])] = [
      (250_000, false, ["run=0"]),
      (250_000, true, ["pages_to_scan=64", "sleep_millisecs=335", "run=1"]),
      (50_000, true, ["pages_to_scan=364", "sleep_millisecs=335", "run=1"]),
      (50_000, true, ["pages_to_scan=664", "sleep_millisecs=335", "run=1"]),
      (50_000, true, ["pages_to_scan=964", "sleep_millisecs=335", "run=1"]),
      (50_000, true, ["pages_to_scan=1250", "sleep_millisecs=335", "run=1"]),
      (100_000, true, ["pages_to_scan=1200", "sleep_millisecs=335", "run=1"]),
      (250_000, false, ["run=0"]),
      (90_000, false, ["pages_to_scan=1250", "sleep_millisecs=335", "run=1"]),
    ]
    for (index, step) in steps.enumerated() {
      if step.big && big == nil { big = try DecoyGuest(kvm: true, megabytes: 400, directory: base) }
      if !step.big, let guest = big {
        guest.stop()
        big = nil
      }
      let kvmGuests = Set([small.pid] + (big.map { [$0.pid] } ?? []))
      try #require(try pgrepGuests() == kvmGuests, "another qemu-system guest runs on this machine")
      let text = meminfoText(total: 500_000, free: step.free - 3000, buffers: 1000, cached: 2000)
      try overwrite(bash.meminfo, text)
      try overwrite(daemon.meminfo, text)

      let fromBash = try bash.cycle()
      let fromDaemon = try daemon.cycle()
      #expect(fromDaemon.messages == fromBash.messages, "step \(index + 1)")
      #expect(fromDaemon.writes == fromBash.writes, "step \(index + 1)")
      #expect(fromDaemon.writes == step.writes, "step \(index + 1)")
    }
    #expect(contents(base + "/daemon/output") == "")

    kill(daemon.tunerPid, SIGTERM)
    #expect(daemon.process?.wait(timeout: 5) == 0)
    #expect(!FileManager.default.fileExists(atPath: daemon.pidfile))
  }
}
