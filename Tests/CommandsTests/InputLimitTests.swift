import Engine
import Foundation
import TestSupport
import Testing

/// Input that crashed virthost, hung it or answered with a misleading message, each
/// run through the built `virthost` on a copy of an example root. Numbers beyond counting are
/// errors at their line and column (exit 1; `check` says unknown, 3), ranges are compared with
/// the online CPUs before anything walks them, messages quote what was written, a command line
/// the kernel would cut is refused, help is help, and counted nouns agree.
@Suite struct InputLimitTests {
  /// `virthost COMMAND host.yaml --root COPY` with `spec` as host.yaml, on a copy of `example`;
  /// what it printed on both streams with the spec's path written `host.yaml`.
  private func run(
    _ command: String, _ spec: String, example: String = "numa-pinned", extra: [String] = [],
    change: (FixtureRoot) throws -> Void = { _ in }
  ) throws -> (status: Int32, printed: String, root: FixtureRoot) {
    let root = try FixtureRoot("examples/\(example)/root")
    try change(root)
    let specFile = root.path + "/../host.yaml"
    try Data(spec.utf8).write(to: URL(fileURLWithPath: specFile))
    let result = try ProgramRun.virthost([command, specFile, "--root", root.path] + extra)
    let printed = (result.output + result.error).replacingOccurrences(of: specFile, with: "host.yaml")
    return (result.status, printed, root)
  }

  @Test func aHugePageCountBeyondCountingIsAnErrorAtItsLineInPlanApplyAndCheck() throws {
    let spec = "hugepages:\n  size: 2M\n  count: 10000000000000\n"
    let message =
      "host.yaml:3:10: error: hugepages.count: 10000000000000 pages of 2M are more memory than virthost can "
      + "count (at most 8 EiB)\n"
    for command in ["plan", "apply"] {
      let result = try run(command, spec)
      #expect(result.status == 1, "\(command): \(result.printed)")
      #expect(result.printed == message, "\(command)")
    }
    let check = try run("check", spec, extra: ["--format", "line"])
    #expect(check.status == 3)
    #expect(check.printed == "VIRTHOST UNKNOWN - " + message)
  }

  @Test func aHostReserveBeyondCountingIsAnErrorAtItsLine() throws {
    let result = try run("plan", "hugepages:\n  size: 2M\n  count: 100\n  host_reserve: 10000000000000M\n")
    #expect(result.status == 1)
    #expect(
      result.printed
        == "host.yaml:4:17: error: hugepages.host_reserve: \"10000000000000M\" is more memory than virthost can "
        + "count (at most 8 EiB)\n")
  }

  @Test func poolsThatEachFitButTogetherPassEightEiBAreSummedWithoutOverflow() throws {
    // Each pool's bytes fit in 63 bits; node 0's sum (15 EiB) did not, and crashed when shown.
    let result = try run(
      "plan",
      "hugepages:\n  pools:\n    - {size: 1G, count: {0: 8000000000}}\n    - {size: 2M, count: {0: 4000000000000}}\n")
    #expect(result.status == 1, "\(result.printed)")
    #expect(
      result.printed == """
        host.yaml:2:3: error: NUMA node 0 has 16.0 GiB of memory: 8000000000 pages of 1G and 4000000000000 pages of 2M \
        (14.7 EiB) leave less than the 1.6 GiB the host keeps (10 % of the node, at least 1 GiB)
          from hugepages.pools

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func aBillionCPURangeIsComparedWithTheOnlineCPUsAtOnce() throws {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try run("plan", "cpu:\n  isolated: \"0-1000000000\"\n")
    #expect(clock.now - start < .seconds(20))
    #expect(result.status == 1)
    #expect(
      result.printed == """
        host.yaml:2:3: error: CPUs 8-1000000000 are not online: this host's online CPUs are 0-7
          from cpu.isolated

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func aCPUListIsQuotedAsWritten() throws {
    let result = try run("plan", "cpu:\n  isolated: \"1-3 5-7\"\n")
    #expect(result.status == 1)
    #expect(
      result.printed
        == "host.yaml:2:13: error: cpu.isolated: '1-3 5-7' is not a CPU number or a range such as 2-15\n")
  }

  @Test func aPCIAddressWithoutItsDomainIsShownItsFullForm() throws {
    let result = try run("plan", "passthrough:\n  devices: [\"01:00.0\"]\n", example: "gpu-passthrough")
    #expect(result.status == 1)
    #expect(
      result.printed
        == "host.yaml:2:13: error: passthrough.devices.01:00.0: \"01:00.0\" is a PCI address without its domain, "
        + "as lspci prints it: write it 0000:01:00.0\n")
  }

  @Test func devicesInUpperCaseAreQuotedAsWrittenAtTheirLine() throws {
    let result = try run(
      "plan", "passthrough:\n  devices:\n    - \"10DE:1B81\"\n    - \"0000:0A:00.0\"\n", example: "gpu-passthrough")
    #expect(result.status == 1)
    #expect(
      result.printed.contains("host.yaml:3:7: error: no PCI device has the IDs 10DE:1B81; did you mean 10de:1b80?\n"),
      "\(result.printed)")
    #expect(
      result.printed.contains("host.yaml:4:7: error: no PCI device has the address 0000:0A:00.0\n"), "\(result.printed)"
    )
  }

  @Test func aSysctlValueNoFileCanHoldIsRefusedAtItsLine() throws {
    // Found by ExtremeValueTests (seed 1796627263961): the sysctl file's editor refused it
    // while planning, with no line in host.yaml.
    let result = try run("plan", "sysctl:\n  vm.nr_hugepages: 0\n  kernel.numa_balancing: \"\"\n")
    #expect(result.status == 1)
    #expect(
      result.printed
        == "host.yaml:3:26: error: sysctl.kernel.numa_balancing: invalid value \"\" for kernel.numa_balancing: "
        + "it is empty\n")
  }

  @Test func aNUMANodeWrittenWithALeadingZeroIsQuotedAsWrittenAtItsLine() throws {
    // Found by ExtremeValueTests (seed 1796627575670): the node was named by its number, whose
    // key host.yaml does not hold, so the error had no line.
    let result = try run("plan", "hugepages:\n  size: 2M\n  count: {017264485555: 8, 01: 8}\n")
    #expect(result.status == 1)
    #expect(
      result.printed == """
        host.yaml:3:11: error: NUMA node 017264485555 does not exist: this host has nodes 0, 1
          from hugepages.count.017264485555

        The plan has errors; it cannot be applied.

        """)
  }

  @Test func aCommandLineLongerThanTheArchitectureKeepsIsRefusedNamingTheEntry() throws {
    let long = "virthost.test=" + String(repeating: "x", count: 2000)
    let result = try run("plan", "kernel:\n  args:\n    present: [\(long)]\n", example: "centos6-amd")
    #expect(result.status == 1)
    let entry = "\"CentOS Linux (2.6.32-71.29.1.el6.x86_64)\" (/boot/grub/grub.conf)"
    #expect(
      result.printed.contains(
        "host.yaml:3:5: error: the kernel command line of \(entry) would be 2258 bytes, more than the 2047 the x86 "
          + "kernel keeps (COMMAND_LINE_SIZE 2048): it would be cut\n"),
      "\(result.printed)")
    // 2047 bytes, the most the kernel keeps, pass.
    let fits = "virthost.test=" + String(repeating: "x", count: 1789)
    let planned = try run("plan", "kernel:\n  args:\n    present: [\(fits)]\n", example: "centos6-amd")
    #expect(planned.status == 0, "\(planned.printed)")
  }

  @Test func helpIsPrintedAsHelpNotAsAnError() throws {
    for arguments in [["--help"], ["help", "plan"], ["plan", "--help"]] {
      let result = try ProgramRun.virthost(arguments)
      #expect(result.status == 0, "\(arguments)")
      #expect(result.output.hasPrefix("OVERVIEW: "), "\(arguments): \(result.output.prefix(40))")
      #expect(result.error == "", "\(arguments)")
    }
  }

  @Test func oneAppliedStepIsOneStep() throws {
    let result = try run("apply", "sysctl:\n  vm.swappiness: 10\n", example: "centos6-amd")
    #expect(result.status == 0, "\(result.printed)")
    #expect(result.printed.contains("Apply complete: 1 step done; backup "), "\(result.printed)")
  }

  @Test func hostFileNumbersBeyondCountingAreShownNotCrashedOn() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try root.write("/sys/kernel/mm/ksm/pages_sharing", "9223372036854775807\n")
    let meminfo = try root.text("/proc/meminfo").split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasPrefix("MemTotal:") || $0.hasPrefix("MemFree:")
        ? "\($0.prefix { $0 != " " }) 9223372036854775807 kB" : String($0)
    }.joined(separator: "\n")
    try root.write("/proc/meminfo", meminfo)
    let result = try ProgramRun.virthost(["facts", "--root", root.path])
    #expect(result.status == 0, "\(result.transcript)")
    #expect(result.output.contains("9223372036854775807 kB (8.0 ZiB)"), "\(result.output)")
    #expect(result.output.contains("MemFree + Buffers + Cached do not fit in a count"), "\(result.output)")
    let json = try ProgramRun.virthost(["facts", "--root", root.path, "--format", "json"])
    #expect(json.status == 0, "\(json.transcript)")
  }
}
