import Foundation
import TestSupport
import Testing

@testable import Engine

/// `cpu.isolated` on the two-node example root (CPUs 0-7 online, SMT siblings 0,4 1,5
/// 2,6 3,7, irqbalance installed, systemd): each expanded item, the checks, tuned's
/// ownership and the undo.
@Suite struct CPUIsolationPlanTests {
  private func text(_ plan: Plan, _ path: String) -> String? {
    plan.fileOperations.first { $0.path == path }?.after.map { String(decoding: $0, as: UTF8.self) }
  }

  @Test func eachExpandedItemIsItsOwnResourceFromCpuIsolated() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\nsysctl:\n  kernel.numa_balancing: 0\n")
    #expect(!plan.hasErrors)
    let fromCPU = plan.changes.filter { $0.origin.contains("cpu.isolated") }.map(\.address.description)
    #expect(
      fromCPU == [
        #"kernel_args["all"]"#, #"file["/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf"]"#,
        #"file["/etc/default/irqbalance"]"#,
      ])
    let grub = try #require(text(plan, "/etc/default/grub"))
    #expect(
      grub.contains(
        #"GRUB_CMDLINE_LINUX="isolcpus=managed_irq,domain,1-3,5-7 nohz_full=1-3,5-7 rcu_nocbs=1-3,5-7 irqaffinity=0,4""#
          + "\n"))
    #expect(
      text(plan, "/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf")
        == "[Manager]\nCPUAffinity=\nCPUAffinity=0,4\n")
    let shipped = try host.root.text("/etc/default/irqbalance")
    #expect(text(plan, "/etc/default/irqbalance") == shipped + "IRQBALANCE_BANNED_CPULIST=1-3,5-7\n")
  }

  /// irqbalance 1.9 reads `IRQBALANCE_BANNED_CPUS` first and, when it is set, ignores
  /// `IRQBALANCE_BANNED_CPULIST` (cputree.c, `setup_banned_cpus`): an admin's mask is taken
  /// out, or interrupts would still reach the isolated CPUs.
  @Test func anAdminsBannedMaskIsTakenOutSinceIrqbalanceWouldReadItInstead() throws {
    let host = try ExampleHost("numa-pinned")
    let shipped = try host.root.text("/etc/default/irqbalance")
    try host.root.write("/etc/default/irqbalance", shipped + "IRQBALANCE_BANNED_CPUS=00000001\n")
    let plan = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\n")
    #expect(text(plan, "/etc/default/irqbalance") == shipped + "IRQBALANCE_BANNED_CPULIST=1-3,5-7\n")
    #expect(
      plan.changes.first { $0.address.description == #"file["/etc/default/irqbalance"]"# }?.reason
        == "cpu.isolated keeps irqbalance's interrupts off 1-3,5-7; IRQBALANCE_BANNED_CPUS=00000001 taken out, which "
        + "the program reads first and then ignores IRQBALANCE_BANNED_CPULIST")
    _ = try host.engine.apply(plan)
    let again = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\n")
    #expect(!again.fileOperations.contains { $0.path == "/etc/default/irqbalance" })
  }

  /// `isolcpus=` flags by the next boot's kernel (Documentation/admin-guide/kernel-parameters
  /// and the kernels' `housekeeping_isolcpus_setup`): a kernel that cannot parse a flag
  /// ignores the whole argument, so an older kernel gets fewer flags, with a warning naming it.
  @Test(
    arguments: [
      ("6.1.0-28-amd64", "managed_irq,domain,1-3,5-7", nil),
      ("4.18.0-193.el8.x86_64", "managed_irq,domain,1-3,5-7", nil),
      (
        "4.18.0-147.el8.x86_64", "domain,1-3,5-7",
        "the next boot starts 4.18.0-147.el8.x86_64, which predates isolcpus=managed_irq: virthost writes "
          + "isolcpus=domain,1-3,5-7"
      ),
      (
        "4.19.0-27-amd64", "domain,1-3,5-7",
        "the next boot starts 4.19.0-27-amd64, which predates isolcpus=managed_irq: virthost writes "
          + "isolcpus=domain,1-3,5-7"
      ),
      (
        "4.9.0-19-amd64", "1-3,5-7",
        "the next boot starts 4.9.0-19-amd64, which predates isolcpus=managed_irq,domain: virthost writes "
          + "isolcpus=1-3,5-7"
      ),
    ] as [(String, String, String?)])
  func isolcpusTakesTheFlagsTheNextKernelKnows(_ release: String, _ value: String, _ warning: String?) throws {
    let host = try ExampleHost("numa-pinned")
    try host.bootNext(release)
    let plan = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\n")
    #expect(try #require(text(plan, "/etc/default/grub")).contains("isolcpus=\(value) "))
    #expect(
      plan.diagnostics.filter { $0.code == .isolcpusFlagUnsupported }.map(\.summary) == (warning.map { [$0] } ?? []))
  }

  @Test func withoutIrqbalanceNoIrqbalanceFileIsWritten() throws {
    let host = try ExampleHost("numa-pinned")
    try FileManager.default.removeItem(atPath: host.root.path + "/etc/default/irqbalance")
    let plan = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\n")
    #expect(!plan.hasErrors)
    #expect(!plan.fileOperations.contains { $0.path.contains("irqbalance") })
    #expect(
      plan.fileOperations.map(\.path) == [
        "/etc/default/grub", "/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf",
      ])
  }

  @Test func anIsolatedCPUWhoseSiblingIsNotIsWarned() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("cpu:\n  isolated: \"1-3\"\nsysctl:\n  kernel.numa_balancing: 0\n")
    #expect(
      plan.diagnostics.filter { $0.code == .smtSiblingNotIsolated }.map(\.summary) == [
        "CPU 1 is isolated but its SMT sibling 5 is not: the core is shared with the host's work",
        "CPU 2 is isolated but its SMT sibling 6 is not: the core is shared with the host's work",
        "CPU 3 is isolated but its SMT sibling 7 is not: the core is shared with the host's work",
      ])
  }

  @Test func numaBalancingAndKSMMergingAcrossNodesAreWarned() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\nksm:\n  enabled: true\n  merge_across_nodes: true\n")
    #expect(
      plan.diagnostics.filter { $0.code == .pinnedMemoryMoves }.map(\.summary) == [
        "kernel.numa_balancing is on: it moves the memory of guests pinned to isolated CPUs between nodes",
        "KSM merges pages across NUMA nodes: pinned guests' memory may end on another node",
      ])
    let quiet = try host.plan(
      "cpu:\n  isolated: \"1-3,5-7\"\nksm:\n  enabled: false\nsysctl:\n  kernel.numa_balancing: 0\n")
    #expect(!quiet.diagnostics.contains { $0.code == .pinnedMemoryMoves })
  }

  @Test func tunedCpuPartitioningKeepsItsArgumentsAndVirthostAddsTheRest() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/tuned/active_profile", "cpu-partitioning\n")
    try host.root.write(
      "/etc/tuned/bootcmdline",
      "TUNED_BOOT_CMDLINE=\"skew_tick=1 isolcpus=managed_irq,domain,1-3,5-7 nohz=on nohz_full=1-3,5-7 "
        + "rcu_nocbs=1-3,5-7 nosoftlockup\"\n")
    let plan = try host.plan("cpu:\n  isolated: \"1-3,5-7\"\nsysctl:\n  kernel.numa_balancing: 0\n")
    #expect(
      plan.diagnostics.filter { $0.code == .tunedOwnsArgument }.map(\.summary) == [
        "isolcpus=managed_irq,domain,1-3,5-7 is set by tuned profile cpu-partitioning (/etc/tuned/bootcmdline): virthost adds nothing",
        "nohz_full=1-3,5-7 is set by tuned profile cpu-partitioning (/etc/tuned/bootcmdline): virthost adds nothing",
        "rcu_nocbs=1-3,5-7 is set by tuned profile cpu-partitioning (/etc/tuned/bootcmdline): virthost adds nothing",
      ])
    #expect(try #require(text(plan, "/etc/default/grub")).contains(#"GRUB_CMDLINE_LINUX="irqaffinity=0,4""#))
  }

  @Test func noneRemovesTheArgumentsTheDropInAndTheBannedList() throws {
    let host = try ExampleHost("numa-pinned")
    let before = try host.root.snapshot()
    _ = try host.engine.apply(try host.plan("cpu:\n  isolated: \"1-3,5-7\"\n"))
    let undo = try host.plan("cpu:\n  isolated: none\n")
    #expect(
      undo.pendingChanges.map(\.address.description) == [
        #"kernel_args["all"]"#, #"file["/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf"]"#,
        #"file["/etc/default/irqbalance"]"#,
      ])
    _ = try host.engine.apply(undo)
    let after = try host.root.snapshot()
    // Only the folder the drop-in was created in stays, empty.
    #expect(Snapshots.differences(before, after) == ["etc/systemd/system.conf.d"])
    #expect(!(try host.plan("cpu:\n  isolated: none\n").hasChanges))
  }
}
