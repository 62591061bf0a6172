import Foundation
import TestSupport
import Testing

@testable import Engine

/// `hugepages:` on the two-node example root (16 GiB and four CPUs per node, Debian 12
/// with kernel 6.1, pdpe1gb): the ordered kernel arguments, the runtime writes and unit,
/// the checks, and the undo.
@Suite struct HugePagesPlanTests {
  private func grubLine(_ plan: Plan) throws -> String {
    let after = try #require(plan.fileOperations.first { $0.path == "/etc/default/grub" }?.after)
    let text = String(decoding: after, as: UTF8.self)
    return try #require(text.split(separator: "\n").first { $0.hasPrefix("GRUB_CMDLINE_LINUX=") }.map(String.init))
  }

  @Test func severalSizesArePlannedAsOneOrderedRun() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan(
      """
      hugepages:
        pools:
          - {size: 1G, count: {0: 4, 1: 4}}
          - {size: 2M, count: 512}
      """)
    #expect(!plan.hasErrors)
    #expect(try grubLine(plan) == #"GRUB_CMDLINE_LINUX="hugepagesz=1G hugepages=0:4,1:4 hugepagesz=2M hugepages=512""#)
  }

  @Test func aRunInTheWrongOrderIsRewrittenWhereItsFirstArgumentStood() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write(
      "/etc/default/grub",
      try host.root.text("/etc/default/grub").replacingOccurrences(
        of: #"GRUB_CMDLINE_LINUX="""#, with: #"GRUB_CMDLINE_LINUX="hugepages=512 mitigations=off hugepagesz=2M""#))
    let spec = "hugepages:\n  pools:\n    - {size: 1G, count: 8}\n    - {size: 2M, count: 512}\n"
    #expect(
      try grubLine(try host.plan(spec))
        == #"GRUB_CMDLINE_LINUX="hugepagesz=1G hugepages=8 hugepagesz=2M hugepages=512 mitigations=off""#)
    _ = try host.engine.apply(try host.plan(spec))
    #expect(try host.plan(spec).pendingChanges.allSatisfy { $0.address.kind == .bootLoaderRegeneration })
  }

  @Test func perNodeCountsAtBootNeedTheNextKernelToBe516() throws {
    let host = try ExampleHost("numa-pinned")
    try host.bootNext("5.10.0-30-amd64")
    let plan = try host.plan("hugepages:\n  size: 2M\n  count: {0: 8, 1: 8}\n")
    let errors = plan.diagnostics.filter { $0.severity == .error }
    #expect(
      errors.map(\.summary) == [
        "per-node counts at boot (hugepages=0:N,1:N) need Linux 5.16 or later, and the next boot starts 5.10.0-30-amd64"
      ])
    #expect(errors.first?.location?.description == "examples/numa-pinned/host.yaml:3:3")
  }

  @Test func runtimePerNodeWritesNowAndInstallsTheBootUnit() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan(
      """
      hugepages:
        size: 2M
        count: {0: 64, 1: 32}
        mode: runtime
      """)
    #expect(!plan.hasErrors)
    let unit = try #require(plan.fileOperations.first { $0.path == "/etc/systemd/system/virthost-hugepages.service" })
    #expect(
      String(decoding: try #require(unit.after), as: UTF8.self) == """
        # Written by virthost (hugepages.mode: runtime); virthost removes it for hugepages: none.
        [Unit]
        Description=Reserve huge pages per NUMA node (virthost)
        DefaultDependencies=no
        After=local-fs.target
        Before=sysinit.target libvirtd.service virtqemud.service

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=/bin/sh -c 'echo 64 > /sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages'
        ExecStart=/bin/sh -c 'echo 32 > /sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages'

        [Install]
        WantedBy=sysinit.target

        """)
    #expect(
      plan.pendingChanges.map(\.address.description) == [
        #"file["/etc/systemd/system/virthost-hugepages.service"]"#, #"service["virthost-hugepages"]"#,
        #"sysfs["/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"]"#,
        #"sysfs["/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"]"#,
      ])
    #expect(plan.changes.allSatisfy { $0.origin == "hugepages" })
  }

  @Test func aRuntimeTotalOfTheDefaultSizeIsVmNrHugepages() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("hugepages:\n  size: 2M\n  count: 256\n  mode: runtime\n")
    let sysctl = try #require(plan.fileOperations.first { $0.path == "/etc/sysctl.d/90-virthost.conf" }?.after)
    #expect(String(decoding: sysctl, as: UTF8.self).hasSuffix("vm.nr_hugepages = 256\n"))
    #expect(plan.changes.contains { $0.address.description == #"sysctl["vm.nr_hugepages"]"# && $0.after == "256" })
    #expect(!plan.fileOperations.contains { $0.path.hasSuffix("virthost-hugepages.service") })
  }

  @Test func aDefaultSizeAtRuntimeIsRefused() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("hugepages:\n  size: 2M\n  count: 64\n  default_size: 2M\n  mode: runtime\n")
    #expect(
      plan.diagnostics.filter { $0.severity == .error }.map { "\($0.location?.description ?? "") \($0.summary)" } == [
        "examples/numa-pinned/host.yaml:4:3 the default page size is set at boot only (default_hugepagesz=)"
      ])
  }

  @Test func gigantPagesAtRuntimeAreWarned() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("hugepages:\n  size: 1G\n  count: {0: 2, 1: 2}\n  mode: runtime\n")
    #expect(
      plan.diagnostics.filter { $0.code == .hugePagesAtRuntime }.map(\.summary) == [
        "1G pages reserved at runtime often fail: the kernel needs 1 GiB of contiguous free memory per page"
      ])
  }

  @Test func hostReserveDecidesWhatANodeKeeps() throws {
    let host = try ExampleHost("numa-pinned")
    let fits = try host.plan("hugepages:\n  size: 1G\n  count: {0: 14, 1: 14}\n")
    #expect(!fits.hasErrors)
    let refused = try host.plan("hugepages:\n  size: 1G\n  count: {0: 14, 1: 14}\n  host_reserve: 4G\n")
    #expect(
      refused.diagnostics.filter { $0.severity == .error }.map(\.summary) == [
        "NUMA node 0 has 16.0 GiB of memory: 14 pages of 1G (14.0 GiB) leave less than the 4.0 GiB the host keeps (hugepages.host_reserve)",
        "NUMA node 1 has 16.0 GiB of memory: 14 pages of 1G (14.0 GiB) leave less than the 4.0 GiB the host keeps (hugepages.host_reserve)",
      ])
  }

  @Test func noneRemovesTheArgumentsAndTheUnitVirthostSet() throws {
    let host = try ExampleHost("numa-pinned")
    let original = try host.root.text("/etc/default/grub")
    _ = try host.engine.apply(try host.plan("hugepages:\n  size: 1G\n  count: {0: 2, 1: 2}\n"))
    _ = try host.engine.apply(try host.plan("hugepages:\n  size: 2M\n  count: {0: 8, 1: 8}\n  mode: runtime\n"))
    #expect(FileManager.default.fileExists(atPath: host.root.path + "/etc/systemd/system/virthost-hugepages.service"))
    let undo = try host.plan("hugepages: none\n")
    #expect(
      undo.pendingChanges.map(\.address.description) == [
        #"file["/etc/systemd/system/virthost-hugepages.service"]"#, #"service["virthost-hugepages"]"#,
      ])
    _ = try host.engine.apply(undo)
    #expect(!FileManager.default.fileExists(atPath: host.root.path + "/etc/systemd/system/virthost-hugepages.service"))
    #expect(try host.root.text("/etc/default/grub") == original)
    #expect(!(try host.plan("hugepages: none\n").hasChanges))
  }

  /// A truth gap: `vm.nr_hugepages` written for a runtime total stayed in
  /// the sysctl file after `hugepages: none` (or a change to boot mode), so the host still
  /// reserved the pages at each boot while the plan said converged.
  @Test func noneTakesTheRuntimeTotalOutOfTheSysctlFile() throws {
    let host = try ExampleHost("numa-pinned")
    _ = try host.engine.apply(try host.plan("hugepages:\n  size: 2M\n  count: 256\n  mode: runtime\n"))
    #expect(try host.root.text("/etc/sysctl.d/90-virthost.conf").hasSuffix("vm.nr_hugepages = 256\n"))
    let undo = try host.plan("hugepages: none\n")
    let change = try #require(
      undo.changes.first { $0.address.description == #"file["/etc/sysctl.d/90-virthost.conf"]"# })
    #expect(change.before == "vm.nr_hugepages=256")
    #expect(change.after == "vm.nr_hugepages unset")
    #expect(change.origin == "hugepages")
    #expect(change.reason == "hugepages: none reserves no page at boot: vm.nr_hugepages gets no value at boot")
    _ = try host.engine.apply(undo)
    #expect(!(try host.root.text("/etc/sysctl.d/90-virthost.conf").contains("nr_hugepages")))
    #expect(!(try host.plan("hugepages: none\n").hasChanges))
  }

  /// Boot mode owns the pools: an admin's `vm.nr_hugepages` (here in /etc/sysctl.conf) would
  /// change the default size's pool after boot; it is taken out, and the plan shows it.
  @Test func bootModeTakesAnAdminsBootValueOut() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/sysctl.d/50-admin.conf", "vm.swappiness = 10\nvm.nr_hugepages = 128\n")
    let plan = try host.plan("hugepages:\n  size: 2M\n  count: {0: 8, 1: 8}\n")
    let operation = try #require(plan.fileOperations.first { $0.path == "/etc/sysctl.d/50-admin.conf" })
    #expect(operation.after.map { String(decoding: $0, as: UTF8.self) } == "vm.swappiness = 10\n")
    #expect(
      plan.changes.first { $0.address.description == #"file["/etc/sysctl.d/50-admin.conf"]"# }?.reason
        == "hugepages.mode: boot reserves the pages with kernel arguments, which a boot value would change: vm.nr_hugepages gets no value at boot"
    )
  }

  /// `vm.nr_hugepages_mempolicy` reserves default-size pages at boot as `vm.nr_hugepages`
  /// does (hugetlbpage.rst): `hugepages:` never uses it, so `none` takes it out too (it was
  /// left, and the host went on reserving pages while the re-plan said converged).
  @Test func noneTakesVmNrHugepagesMempolicyOutToo() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/sysctl.d/50-admin.conf", "vm.swappiness = 10\nvm.nr_hugepages_mempolicy = 64\n")
    let plan = try host.plan("hugepages: none\n")
    let operation = try #require(plan.fileOperations.first { $0.path == "/etc/sysctl.d/50-admin.conf" })
    #expect(operation.after.map { String(decoding: $0, as: UTF8.self) } == "vm.swappiness = 10\n")
    #expect(
      plan.changes.first { $0.address.description == #"file["/etc/sysctl.d/50-admin.conf"]"# }?.reason
        == "hugepages: owns the pools reserved at boot, and this key would reserve more: vm.nr_hugepages_mempolicy gets no value at boot"
    )
    _ = try host.engine.apply(plan)
    #expect(!(try host.plan("hugepages: none\n").hasChanges))
  }

  /// The kernel rejects `default_hugepagesz=1G` without `pdpe1gb` and keeps 2M
  /// (mm/hugetlb.c): refused at the key, as a 1G pool is.
  @Test func aDefaultSizeTheCPULacksIsRefused() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write(
      "/proc/cpuinfo", try host.root.text("/proc/cpuinfo").replacingOccurrences(of: " pdpe1gb", with: ""))
    let plan = try host.plan("hugepages:\n  size: 2M\n  count: 64\n  default_size: 1G\n")
    #expect(
      plan.diagnostics.filter { $0.severity == .error }.map { "\($0.location?.description ?? "") \($0.summary)" } == [
        "examples/numa-pinned/host.yaml:4:3 default_hugepagesz=1G needs the CPU flag pdpe1gb, which this CPU lacks: the kernel would keep 2M"
      ])
  }

  /// An empty list of pools is not `none`: it was read as none and removed the reserved pages.
  @Test func anEmptyListOfPoolsIsRefusedNotTakenForNone() throws {
    let host = try ExampleHost("numa-pinned")
    let error = #expect(throws: SpecError.self) { try host.plan("hugepages:\n  pools: []\n") }
    #expect(
      error?.description
        == "examples/numa-pinned/host.yaml:2:10: error: hugepages.pools: must list at least one pool; to reserve no huge page, write hugepages: none"
    )
  }

  /// A memory-less NUMA node (a CPU-only die of a Threadripper 2990WX) gets no share of a
  /// total: one 2M page was refused, since the node could not keep its reserve; a per-node
  /// count on it is refused naming it.
  @Test func aMemorylessNodeTakesNoShareOfATotalAndRefusesItsOwnCount() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/sys/devices/system/node/node2/cpulist", "8-9\n")
    try host.root.write(
      "/sys/devices/system/node/node2/meminfo",
      "Node 2 MemTotal:       0 kB\nNode 2 MemFree:        0 kB\nNode 2 MemUsed:        0 kB\n")
    let total = try host.plan("hugepages:\n  size: 2M\n  count: 1\n")
    #expect(!total.hasErrors, "\(total.diagnostics.map(\.summary))")
    let perNode = try host.plan("hugepages:\n  size: 2M\n  count: {0: 8, 2: 8}\n  mode: runtime\n")
    #expect(
      perNode.diagnostics.filter { $0.severity == .error }.map { "\($0.location?.description ?? "") \($0.summary)" }
        == [
          "examples/numa-pinned/host.yaml:3:17 NUMA node 2 has no memory (its CPUs use other nodes' memory): it can hold no huge page"
        ])
  }

  /// A package's file that sets it cannot be written: the plan refuses, naming file and line.
  @Test func aPackagesBootValueIsRefusedByName() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/usr/lib/sysctl.d/50-vendor.conf", "# vendor\nvm.nr_hugepages = 64\n")
    let plan = try host.plan("hugepages: none\n")
    #expect(
      plan.diagnostics.filter { $0.severity == .error }.map(\.summary) == [
        "/usr/lib/sysctl.d/50-vendor.conf:2: gives vm.nr_hugepages the value 64 at boot, and virthost writes no file outside /etc and no glob line: take it out there, or set vm.nr_hugepages = 0 in a file read after it"
      ])
    #expect(plan.fileOperations.isEmpty)
  }

  /// `sysctl:` naming the key itself wins: nothing is taken out.
  @Test func aKeyTheDesiredStateSetsItselfStays() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan("hugepages: none\nsysctl:\n  vm.nr_hugepages: 32\n")
    #expect(!plan.hasErrors)
    let sysctl = try #require(plan.fileOperations.first { $0.path == "/etc/sysctl.d/90-virthost.conf" }?.after)
    #expect(String(decoding: sysctl, as: UTF8.self).hasSuffix("vm.nr_hugepages = 32\n"))
  }

  /// After the reboot (the two-node facts fixture runs the example's arguments): pools that
  /// match say nothing; a node short of its pages is an effect that differs, naming it.
  @Test func afterTheRebootANodeShortOfItsPagesIsWarned() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    let spec = "hugepages:\n  size: 1G\n  count: {0: 8, 1: 8}\n  default_size: 1G\n"
    let planner = Planner(root: root.host)
    #expect(
      !(try planner.plan(specText: spec, specFile: "host.yaml")).diagnostics.contains { $0.code == .effectDiffers })
    try root.write("/sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages", "6\n")
    let plan = try planner.plan(specText: spec, specFile: "host.yaml")
    #expect(
      plan.diagnostics.filter { $0.code == .effectDiffers }.map { "\($0.location?.description ?? "") \($0.summary)" }
        == [
          "host.yaml:3:17 NUMA node 1 holds 6 pages of 1G, not the 8 its boot arguments ask for "
            + "(/sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages)"
        ])
  }
}
