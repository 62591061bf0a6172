import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Commands
@testable import HostFacts

/// The NUMA, huge page and CPU isolation facts on a two-node host after the reboot that
/// applied examples/numa-pinned: 1 GiB pages on each node, CPUs 1-3 and 5-7 isolated.
@Suite struct NUMAFactsTests {
  private func facts() throws -> HostFacts {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    return HostFacts.gather(root: root.host)
  }

  @Test func eachNodeShowsItsCPUsMemoryAndPools() throws {
    let nodes = try #require(try facts().numa.nodes.value)
    #expect(nodes.map(\.id) == [0, 1])
    #expect(nodes.map(\.cpus.description) == ["0-1,4-5", "2-3,6-7"])
    #expect(nodes.map(\.memTotalKiB) == [16_777_216, 16_777_216])
    #expect(nodes.map(\.memFreeKiB) == [4_388_608, 4_388_608])
    #expect(
      nodes[1].hugePages == [
        HugePagePool(sizeKiB: 2048, total: 0, free: 0, surplus: 0),
        HugePagePool(sizeKiB: 1_048_576, total: 8, free: 8, surplus: 0),
      ])
  }

  @Test func globalPoolsSizesAndTransparentModeHaveTheirSources() throws {
    let huge = try facts().hugePages
    #expect(huge.pools.value?.map(\.total) == [0, 16])
    #expect(huge.pools.source == "/sys/kernel/mm/hugepages")
    #expect(huge.gigantic == .known(true, source: "/proc/cpuinfo (pdpe1gb)"))
    #expect(huge.supportedSizesKiB == [2048, 1_048_576])
    #expect(huge.transparentMode == .known("madvise", source: "/sys/kernel/mm/transparent_hugepage/enabled"))
  }

  @Test func isolationShowsKernelSystemdAndIrqbalance() throws {
    let isolation = try facts().cpuIsolation
    #expect(isolation.online.value?.description == "0-7")
    #expect(isolation.threadSiblings.value?.map(\.description) == ["0,4", "1,5", "2,6", "3,7"])
    #expect(isolation.isolated == .known(try CPUList(parsing: "1-3,5-7"), source: "/sys/devices/system/cpu/isolated"))
    #expect(isolation.nohzFull.value?.description == "1-3,5-7")
    #expect(
      isolation.arguments.value == [
        "isolcpus=managed_irq,domain,1-3,5-7", "nohz_full=1-3,5-7", "rcu_nocbs=1-3,5-7", "irqaffinity=0,4",
      ])
    #expect(
      isolation.systemdCPUAffinity
        == .known("0,4", source: "/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf"))
    #expect(isolation.irqbalanceBanned == .known("1-3,5-7", source: "/etc/default/irqbalance"))
  }

  @Test func aKernelWithoutNohzFullPrintsNullWhichIsTheEmptyList() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    try root.write("/sys/devices/system/cpu/nohz_full", "(null)\n")
    try FileManager.default.removeItem(atPath: root.path + "/etc/default/irqbalance")
    let isolation = HostFacts.gather(root: root.host).cpuIsolation
    #expect(isolation.nohzFull.value == CPUList([]))
    #expect(isolation.irqbalanceBanned.unknown == "irqbalance is not installed (neither file exists)")
  }

  @Test func textShowsNodesPoolsAndIsolationWithSources() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    let text = FactsReport(root: "ROOT", facts: HostFacts.gather(root: root.host)).text(colour: false)
      .replacingOccurrences(of: root.path, with: "ROOT")
    #expect(text == (try Golden.text("Tests/HostFactsTests/Fixtures/numa-two-nodes.facts.txt", recording: text)))
  }

  @Test func jsonHasTheNewGroupsAsFactObjects() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    let leaves = try jsonLeaves(FactsReport(root: "ROOT", facts: HostFacts.gather(root: root.host)).json())
    #expect(leaves["facts.numa.nodes.value[1].huge_pages[1].size_kib"] == .number(1_048_576))
    #expect(leaves["facts.numa.nodes.value[0].cpus"] == .string("0-1,4-5"))
    #expect(leaves["facts.huge_pages.transparent_mode.value"] == .string("madvise"))
    #expect(leaves["facts.cpu_isolation.isolated.value"] == .string("1-3,5-7"))
    #expect(
      leaves["facts.cpu_isolation.systemd_cpu_affinity.source"]
        == .string("/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf"))
  }
}
