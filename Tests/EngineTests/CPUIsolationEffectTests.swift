import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Engine

/// `cpu.isolated` on the two-node example root once the host booted with its arguments:
/// what the kernel, PID 1 and the interrupts show is the effect `check` judges; and
/// systemd's `CPUAffinity=` merged across its files (systemd-system.conf(5): masks given
/// more than once are merged, an empty assignment resets).
@Suite struct CPUIsolationEffectTests {
  private static let spec = "cpu:\n  isolated: \"1-3,5-7\"\nsysctl:\n  kernel.numa_balancing: 0\n"
  private static let booted =
    "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=UUID=3f7d8a6c-9d2b-4c1e-a5f0-2b8c9e1d7a44 ro quiet "
    + "isolcpus=managed_irq,domain,1-3,5-7 nohz_full=1-3,5-7 rcu_nocbs=1-3,5-7 irqaffinity=0,4\n"

  /// The example host after the apply and the boot: the kernel isolated 1-3,5-7, PID 1 is
  /// systemd on 0,4, and two interrupts: one on the housekeeping CPUs, one managed queue
  /// spread to CPU 5 alone.
  private func bootedHost() throws -> ExampleHost {
    let host = try ExampleHost("numa-pinned")
    _ = try host.engine.apply(try host.plan(Self.spec))
    try host.root.write("/proc/cmdline", Self.booted)
    try host.root.write("/sys/devices/system/cpu/isolated", "1-3,5-7\n")
    try host.root.write("/sys/devices/system/cpu/nohz_full", "1-3,5-7\n")
    try host.root.write("/proc/1/comm", "systemd\n")
    try host.root.write("/proc/1/status", "Name:\tsystemd\nCpus_allowed:\t11\nCpus_allowed_list:\t0,4\n")
    try irq(host, 24, requested: "0,4", effective: "0")
    try irq(host, 40, requested: "5", effective: "5")
    return host
  }

  private func irq(_ host: ExampleHost, _ number: Int, requested: String, effective: String) throws {
    try host.root.write("/proc/irq/\(number)/smp_affinity_list", requested + "\n")
    try host.root.write("/proc/irq/\(number)/effective_affinity_list", effective + "\n")
  }

  private func effects(_ plan: Plan) -> [String] {
    plan.diagnostics.filter { $0.code == .effectDiffers }.map(\.summary)
  }

  @Test func aHostThatDoesWhatItsArgumentsAskIsInSyncAndTheConfinedQueueIsCountedApart() throws {
    let host = try bootedHost()
    let plan = try host.plan(Self.spec)
    #expect(plan.fileOperations.isEmpty)
    #expect(effects(plan) == [])
    #expect(
      plan.diagnostics.filter { $0.code == .interruptsConfined }.map(\.summary) == [
        "1 interrupt reaches isolated CPUs because its own affinity names only isolated CPUs (managed queues or "
          + "pinned by hand), counted apart: IRQ 40 on 5"
      ])
  }

  /// The kernel ignored `isolcpus=` (a flag it cannot parse): `/sys/devices/system/cpu/isolated`
  /// is empty though the argument is on the command line.
  @Test func anEmptyIsolatedListAfterTheBootIsDrifted() throws {
    let host = try bootedHost()
    try host.root.write("/sys/devices/system/cpu/isolated", "\n")
    #expect(
      effects(try host.plan(Self.spec)) == [
        "the kernel isolated no CPU, not the CPUs 1-3,5-7 isolcpus= asks for (/sys/devices/system/cpu/isolated)"
      ])
  }

  @Test func nohzFullOnOtherCPUsIsDrifted() throws {
    let host = try bootedHost()
    try host.root.write("/sys/devices/system/cpu/nohz_full", "1-3\n")
    #expect(
      effects(try host.plan(Self.spec)) == [
        "the kernel runs CPUs 1-3 without the tick, not the CPUs 1-3,5-7 nohz_full= asks for "
          + "(/sys/devices/system/cpu/nohz_full)"
      ])
  }

  @Test func systemdOnEveryCPUIsDrifted() throws {
    let host = try bootedHost()
    try host.root.write("/proc/1/status", "Name:\tsystemd\nCpus_allowed_list:\t0-7\n")
    #expect(
      effects(try host.plan(Self.spec)) == [
        "systemd (PID 1) runs on CPUs 0-7, not the housekeeping CPUs 0,4 CPUAffinity= asks for "
          + "(/proc/1/status Cpus_allowed_list)"
      ])
  }

  /// The drop-in changed after this boot (`btime` before its time): systemd has not read it
  /// yet, so PID 1 on other CPUs is pending the reboot, not drift; booted after it, drift.
  @Test func systemdNotYetOnTheNewMaskIsPendingWhenTheDropInIsNewerThanTheBoot() throws {
    let host = try bootedHost()
    try host.root.write("/proc/1/status", "Name:\tsystemd\nCpus_allowed_list:\t0-7\n")
    try host.root.write("/proc/stat", "cpu  1 2 3 4\nbtime 1000\n")
    let pending = try host.plan(Self.spec)
    #expect(effects(pending) == [])
    #expect(
      pending.diagnostics.filter { $0.code == .rebootRequired && $0.keyPath == "cpu.isolated" }.map(\.summary) == [
        "systemd (PID 1) runs on CPUs 0-7, not the housekeeping CPUs 0,4 CPUAffinity= asks for "
          + "(/proc/1/status Cpus_allowed_list); CPUAffinity= changed after this boot"
      ])
    try host.root.write("/proc/stat", "cpu  1 2 3 4\nbtime 4102444800\n")
    #expect(effects(try host.plan(Self.spec)).count == 1)
  }

  /// irqbalance (or a script) moved a movable interrupt onto an isolated CPU: its own
  /// affinity still names housekeeping CPUs, so the kernel was not made to put it there.
  @Test func aMovableInterruptOnAnIsolatedCPUIsDrifted() throws {
    let host = try bootedHost()
    try irq(host, 25, requested: "0-7", effective: "3")
    #expect(
      effects(try host.plan(Self.spec)) == [
        "1 movable interrupt reaches isolated CPUs: IRQ 25 on 3 "
          + "(/proc/irq/N/effective_affinity_list)"
      ])
  }

  /// Where debugfs shows the interrupts' states (CONFIG_GENERIC_IRQ_DEBUGFS), an interrupt
  /// pinned by hand to an isolated CPU is told from a managed queue: the first is drift.
  @Test func withDebugfsAnInterruptPinnedByHandIsDriftedAndAManagedQueueIsNot() throws {
    let host = try bootedHost()
    try irq(host, 41, requested: "6", effective: "6")
    try host.root.write(
      "/sys/kernel/debug/irq/irqs/40",
      "handler:  handle_edge_irq\ndstate:   0x3600200\n"
        + "            IRQD_ACTIVATED\n            IRQD_AFFINITY_MANAGED\n")
    try host.root.write(
      "/sys/kernel/debug/irq/irqs/41",
      "handler:  handle_edge_irq\ndstate:   0x3400200\n"
        + "            IRQD_ACTIVATED\n")
    let plan = try host.plan(Self.spec)
    #expect(
      effects(plan) == [
        "1 movable interrupt reaches isolated CPUs: IRQ 41 on 6 "
          + "(/proc/irq/N/effective_affinity_list)"
      ])
    #expect(plan.diagnostics.filter { $0.code == .interruptsConfined }.map(\.detail) == [nil])
  }

  /// Before the boot that carries the arguments nothing is judged: the kernel arguments
  /// are pending, and the kernel's lists say what the old boot did.
  @Test func beforeTheBootNothingIsJudged() throws {
    let host = try bootedHost()
    try host.root.write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 ro quiet\n")
    try host.root.write("/sys/devices/system/cpu/isolated", "\n")
    try irq(host, 25, requested: "0-7", effective: "3")
    let plan = try host.plan(Self.spec)
    #expect(effects(plan) == [])
    #expect(!plan.diagnostics.contains { $0.code == .interruptsConfined })
  }

  /// A root without the kernel's live files judges nothing (not applicable offline).
  @Test func aRootWithoutLiveFilesJudgesNothing() throws {
    let host = try bootedHost()
    for folder in ["/proc/irq", "/proc/1"] { try FileManager.default.removeItem(atPath: host.root.path + folder) }
    for file in ["isolated", "nohz_full"] {
      try FileManager.default.removeItem(atPath: host.root.path + "/sys/devices/system/cpu/" + file)
    }
    #expect(effects(try host.plan(Self.spec)) == [])
  }

  /// systemd merges `CPUAffinity=0-3` of system.conf (tuned's cpu-partitioning writes one)
  /// with virthost's drop-in: the plan refuses, naming both files, and writes nothing.
  @Test func anotherCPUAffinityInSystemConfIsRefusedNamingBothFiles() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/systemd/system.conf", "[Manager]\n#LogLevel=info\nCPUAffinity=0-3\n")
    let plan = try host.plan(Self.spec)
    #expect(plan.hasErrors)
    #expect(
      plan.diagnostics.filter { $0.code == .cpuAffinityConflict }.map(\.summary) == [
        "/etc/systemd/system.conf sets CPUAffinity=0-3, and cpu.isolated keeps systemd on 0,4 "
          + "(/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf): systemd merges both masks"
      ])
    #expect(!plan.fileOperations.contains { $0.path.contains("cpu-affinity") })
  }

  /// tuned 2.28 and later write `/etc/systemd/system.conf.d/00-tuned.conf`, read before
  /// virthost's drop-in and merged with it.
  @Test func tunedsDropInWithAnotherMaskIsRefusedAndOneWithTheSameMaskIsNot() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/systemd/system.conf.d/00-tuned.conf", "[Manager]\nCPUAffinity=0 4 5\n")
    #expect(
      try host.plan(Self.spec).diagnostics.filter { $0.code == .cpuAffinityConflict }.map(\.summary) == [
        "/etc/systemd/system.conf.d/00-tuned.conf sets CPUAffinity=0,4-5, and cpu.isolated keeps systemd on 0,4 "
          + "(/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf): systemd merges both masks"
      ])
    try host.root.write("/etc/systemd/system.conf.d/00-tuned.conf", "[Manager]\nCPUAffinity=4 0\n")
    #expect(!(try host.plan(Self.spec)).hasErrors)
  }

  /// virthost's drop-in starts with an empty `CPUAffinity=`, so a mask of an earlier file
  /// that is later changed to agree never merges in; the merged value facts show is
  /// systemd's.
  @Test func theDropInResetsTheMaskFirstAndTheMergedMaskIsSystemds() throws {
    let host = try ExampleHost("numa-pinned")
    _ = try host.engine.apply(try host.plan(Self.spec))
    #expect(
      try host.root.text("/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf")
        == "[Manager]\nCPUAffinity=\nCPUAffinity=0,4\n")
    try host.root.write("/etc/systemd/system.conf.d/95-admin.conf", "[Manager]\nCPUAffinity=0\nCPUAffinity=4\n")
    #expect(try IsolationFiles.cpuAffinity(host.root.host)?.value == "0,4")
    try host.root.write("/etc/systemd/system.conf.d/99-admin.conf", "[Manager]\nCPUAffinity=2\n")
    let merged = try IsolationFiles.cpuAffinity(host.root.host)
    #expect(merged?.value == "0,2,4")
    #expect(
      merged?.file
        == "/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf, /etc/systemd/system.conf.d/95-admin.conf, "
        + "/etc/systemd/system.conf.d/99-admin.conf")
  }
}
