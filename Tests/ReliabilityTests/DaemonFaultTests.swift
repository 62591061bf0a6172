import Foundation
import TestSupport
import Testing

/// The built `virthost-ksmtuned` on a copy of the seed host under faults: shell
/// syntax and garbage in ksmtuned.conf, a missing `/proc/meminfo`, an unwritable KSM
/// directory, a storm of SIGUSR1. It says what is wrong, never runs what the file
/// holds, keeps running and writes again once it can.
@Suite(.serialized) final class DaemonFaultTests {
  private var mounts: [String] = []

  deinit {
    for mount in mounts.reversed() { try? TreeCopy.run("/bin/umount", [mount]) }
  }

  @Test func shellSyntaxInTheConfIsReportedAndNeverRun() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let conf = try root.text("/etc/ksmtuned.conf")
    try root.write(
      "/etc/ksmtuned.conf",
      conf + "KSM_NPAGES_MAX=$(touch \(root.path)/pwned)\nKSM_NPAGES_MIN=`touch \(root.path)/pwned2`\n"
        + "KSM_SLEEP_MSEC=\"10; touch \(root.path)/pwned3\"\n")
    try root.write("/sys/kernel/mm/ksm/run", "x\n")
    let run = try once(root)
    #expect(run.status == 0, "\(run.transcript)")
    let file = root.path + "/etc/ksmtuned.conf"
    #expect(
      run.error.contains(
        "\(file): KSM_NPAGES_MAX=$(touch \(root.path)/pwned) is not a number; using the default 1250"),
      "\(run.transcript)")
    #expect(
      run.error.contains("\(file): KSM_NPAGES_MIN=`touch \(root.path)/pwned2` is not a number; using the default 64"),
      "\(run.transcript)")
    #expect(run.error.contains("is not a number; using the default 10"), "\(run.transcript)")
    for canary in ["/pwned", "/pwned2", "/pwned3"] {
      #expect(!(FileManager.default.fileExists(atPath: root.path + canary)), "\(canary) was created")
    }
    #expect(try root.text("/sys/kernel/mm/ksm/run") == "0\n")
  }

  @Test func garbageInTheConfIsReportedWithItsLineAndTheDefaultsUsed() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let conf = try root.text("/etc/ksmtuned.conf")
    #expect(conf.split(separator: "\n", omittingEmptySubsequences: false).count == 22)
    // Line 22 is garbage; Shellvars.lns gives up, and Augeas reports the place, at the end of the file: 23:0.
    try root.write("/etc/ksmtuned.conf", conf + "if then fi {\n")
    try root.write("/sys/kernel/mm/ksm/run", "x\n")
    let run = try once(root)
    #expect(run.status == 0, "\(run.transcript)")
    #expect(
      run.error.contains("\(root.path)/etc/ksmtuned.conf:23:0: cannot be parsed: Syntax error"), "\(run.transcript)")
    #expect(run.error.contains("keeping the settings in use"), "\(run.transcript)")
    #expect(try root.text("/sys/kernel/mm/ksm/run") == "0\n")
  }

  @Test func aMissingMeminfoIsAClearErrorAtStartAndASkippedCycleLater() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let meminfo = root.path + "/proc/meminfo"
    try FileManager.default.moveItem(atPath: meminfo, toPath: meminfo + ".saved")
    let run = try once(root)
    #expect(run.status == 1, "\(run.transcript)")
    #expect(run.error.contains("cannot read MemTotal from \(meminfo)"), "\(run.transcript)")

    try FileManager.default.moveItem(atPath: meminfo + ".saved", toPath: meminfo)
    let daemon = try start(root)
    try FileManager.default.moveItem(atPath: meminfo, toPath: meminfo + ".saved")
    try root.write("/sys/kernel/mm/ksm/run", "x\n")
    kill(daemon.process.processIdentifier, SIGUSR1)
    usleep(300_000)
    #expect(daemon.process.isRunning, "the daemon ended without /proc/meminfo")
    #expect(try root.text("/sys/kernel/mm/ksm/run") == "x\n", "a cycle ran without memory figures")
    try FileManager.default.moveItem(atPath: meminfo + ".saved", toPath: meminfo)
    #expect(try retunes(daemon, root), "no write once /proc/meminfo was back")
    let result = stop(daemon)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(result.error.contains(meminfo), "\(result.transcript)")
  }

  @Test func anUnwritableKSMDirectoryIsReportedRetriedAndWrittenOnceWritable() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let ksm = root.path + "/sys/kernel/mm/ksm"
    let daemon = try start(root)
    try root.write("/sys/kernel/mm/ksm/run", "x\n")
    if TreeCopy.isRoot {
      try TreeCopy.run("/bin/mount", ["--bind", ksm, ksm])
      mounts.append(ksm)
      try TreeCopy.run("/bin/mount", ["-o", "remount,bind,ro", ksm])
    } else {
      try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ksm + "/run")
    }
    for _ in 0..<3 {
      kill(daemon.process.processIdentifier, SIGUSR1)
      usleep(100_000)
    }
    #expect(daemon.process.isRunning)
    #expect(try root.text("/sys/kernel/mm/ksm/run") == "x\n")
    if TreeCopy.isRoot {
      try TreeCopy.run("/bin/umount", [ksm])
      mounts.removeAll()
    } else {
      try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ksm + "/run")
    }
    #expect(try retunes(daemon, root), "no write once the directory was writable")
    let result = stop(daemon)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(
      result.error.contains("cannot write 0 to \(ksm)/run: ")
        && result.error.contains("; retrying next cycle"), "\(result.transcript)")
  }

  @Test func aStormOf1000SIGUSR1LeavesTheDaemonResponsiveWithFlatMemory() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let daemon = try start(root)
    let pid = daemon.process.processIdentifier
    _ = try retunes(daemon, root)
    let before = residentKilobytes(pid)
    for _ in 0..<1_000 { kill(pid, SIGUSR1) }
    #expect(try retunes(daemon, root), "no retune after the storm")
    let after = residentKilobytes(pid)
    print("DaemonFaultTests: VmRSS \(before) kB before 1,000 SIGUSR1, \(after) kB after")
    #expect(after - before <= 256, "grew from \(before) kB to \(after) kB")
    let result = stop(daemon)
    #expect(result.status == 0, "\(result.transcript)")
    #expect(!(FileManager.default.fileExists(atPath: root.path + "/var/run/virthost-ksmtuned.pid")))
  }

  @Test func tenThousandFastCyclesWithGarbageReReadEveryHundredKeepMemoryFlat() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let daemon = try start(root)
    let pid = daemon.process.processIdentifier
    try root.write("/etc/ksmtuned.conf", try root.text("/etc/ksmtuned.conf") + "KSM_NPAGES_MAX=$(reboot)\nif then {\n")
    var samples: [Int] = []
    for cycle in 1...10_000 {
      if cycle.isMultiple(of: 100) { kill(pid, SIGHUP) }
      guard try retunes(daemon, root, poll: 50) else {
        Issue.record("cycle \(cycle) wrote nothing")
        return
      }
      if cycle == 1_000 || cycle == 10_000 { samples.append(residentKilobytes(pid)) }
    }
    print("DaemonFaultTests: VmRSS after 1,000 cycles \(samples[0]) kB, after 10,000 \(samples[1]) kB")
    // The resident size moves in steps of a few dozen pages (what the allocator keeps after a
    // re-read's malloc_trim): +4 to +32 kB on a quiet machine, +108 kB once in a CI run under
    // load. 256 kB still catches a leak of 29 bytes a cycle or 2.8 kB a re-read.
    #expect(samples[1] - samples[0] <= 256, "grew from \(samples[0]) kB to \(samples[1]) kB")
    let result = stop(daemon)
    #expect(result.status == 0)
    #expect(result.error.components(separatedBy: "cannot be parsed").count - 1 == 100, "one report per re-read")
  }

  /// One cycle of the daemon on `root` (`--once --foreground`).
  private func once(_ root: FixtureRoot) throws -> ProgramRun {
    try RunningProgram(ProgramRun.daemon, ["--root", root.path, "--once", "--foreground"]).finish()
  }

  /// The daemon running on `root` in the foreground (an hour between cycles, so only
  /// SIGUSR1 makes one), once its pidfile is written.
  private func start(_ root: FixtureRoot) throws -> RunningProgram {
    try root.write("/etc/ksmtuned.conf", try root.text("/etc/ksmtuned.conf") + "KSM_MONITOR_INTERVAL=3600\n")
    try FileManager.default.createDirectory(atPath: root.path + "/var/run", withIntermediateDirectories: true)
    let daemon = try RunningProgram(ProgramRun.daemon, ["--root", root.path, "--foreground"])
    let pidfile = root.path + "/var/run/virthost-ksmtuned.pid"
    #expect(
      eventually(timeout: 3, poll: 5_000) {
        (try? String(contentsOfFile: pidfile, encoding: .utf8)) == "\(daemon.process.processIdentifier)\n"
      })
    // The pidfile comes before the settings and MemTotal are read: a first retune shows they were.
    #expect(try retunes(daemon, root), "the daemon did not start tuning")
    return daemon
  }

  /// Whether a SIGUSR1 makes the daemon write `run` again within 3 seconds, looked at every `poll` µs.
  private func retunes(_ daemon: RunningProgram, _ root: FixtureRoot, poll: UInt32 = 5_000) throws -> Bool {
    try root.write("/sys/kernel/mm/ksm/run", "x\n")
    kill(daemon.process.processIdentifier, SIGUSR1)
    return eventually(timeout: 3, poll: poll) { (try? root.text("/sys/kernel/mm/ksm/run")) == "0\n" }
  }

  /// Ends the daemon with SIGTERM and collects what it printed.
  private func stop(_ daemon: RunningProgram) -> ProgramRun {
    kill(daemon.process.processIdentifier, SIGTERM)
    return daemon.finish()
  }
}
