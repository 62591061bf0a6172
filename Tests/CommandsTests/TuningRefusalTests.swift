import Foundation
import TestSupport
import Testing

/// The bad requests of `hugepages:` and `cpu:` are refused by
/// `virthost apply` with the key's line and column in host.yaml and a sentence naming the
/// node or CPU; the exit status is 1 and nothing under the root is written.
@Suite struct TuningRefusalTests {
  private func refused(_ spec: String, change: (FixtureRoot) throws -> Void = { _ in }) throws -> String {
    let root = try FixtureRoot("examples/numa-pinned/root")
    try change(root)
    let specFile = root.path + "/../host.yaml"
    try Data(spec.utf8).write(to: URL(fileURLWithPath: specFile))
    let before = try root.snapshot()
    let run = try ProgramRun.virthost(["apply", specFile, "--root", root.path])
    #expect(run.status == 1, "\(run.transcript)")
    #expect(try root.snapshot() == before, "nothing written")
    return run.output.replacingOccurrences(of: specFile, with: "host.yaml")
  }

  @Test func morePagesThanANodeHolds() throws {
    let output = try refused("hugepages:\n  size: 1G\n  count: {0: 16, 1: 8}\n")
    #expect(
      output == """
        host.yaml:3:11: error: NUMA node 0 has 16.0 GiB of memory: 16 pages of 1G (16.0 GiB) leave less than the 1.6 GiB the host keeps (10 % of the node, at least 1 GiB)
          from hugepages.count.0

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func anOfflineCPU() throws {
    let output = try refused("cpu:\n  isolated: \"1-3,5-9\"\n")
    #expect(
      output == """
        host.yaml:2:3: error: CPUs 8-9 are not online: this host's online CPUs are 0-7
          from cpu.isolated

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func allCPUsIsolated() throws {
    let output = try refused("cpu:\n  isolated: 0-7\n")
    #expect(
      output == """
        host.yaml:2:3: error: isolates every online CPU (0-7): the host needs at least one CPU for its own work
          from cpu.isolated

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func aSizeTheCPULacks() throws {
    let output = try refused("hugepages:\n  size: 1G\n  count: 4\n") { root in
      let cpuinfo = try root.text("/proc/cpuinfo").replacingOccurrences(of: " pdpe1gb", with: "")
      try root.write("/proc/cpuinfo", cpuinfo)
      try FileManager.default.removeItem(atPath: root.path + "/sys/kernel/mm/hugepages/hugepages-1048576kB")
    }
    #expect(
      output == """
        host.yaml:2:3: error: 1G pages need the CPU flag pdpe1gb, which this CPU lacks
          from hugepages.size
          Supported here: 2M.

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func aNodeThatDoesNotExist() throws {
    let output = try refused("hugepages:\n  size: 2M\n  count: {0: 8, 2: 8}\n")
    #expect(
      output == """
        host.yaml:3:17: error: NUMA node 2 does not exist: this host has nodes 0, 1
          from hugepages.count.2

        The plan has errors; it cannot be applied.

        """)
  }
}
