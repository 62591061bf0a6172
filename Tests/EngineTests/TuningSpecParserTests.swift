import Foundation
import HostConfig
import Testing

@testable import Engine

/// `hugepages:` and `cpu:` in host.yaml: both forms of counts, several pools, `none`, and
/// every wrong value refused at its line and column.
@Suite struct TuningSpecParserTests {
  @Test func readsOnePoolPerNodeWithItsOptions() throws {
    let spec = try SpecParser.parse(
      "hugepages:\n  size: 1G\n  count: {1: 8, 0: 6}\n  default_size: 1G\n  mode: runtime\n  host_reserve: 2G\n"
        + "cpu:\n  isolated: 2-15,18-31\n",
      file: "host.yaml")
    #expect(
      spec.hugepages
        == HostSpec.HugePages(
          pools: [.init(sizeKiB: 1_048_576, count: .perNode([.init(node: 0, pages: 6), .init(node: 1, pages: 8)]))],
          defaultSizeKiB: 1_048_576, mode: .runtime, hostReserveKiB: 2_097_152))
    #expect(spec.cpu?.isolated?.description == "2-15,18-31")
  }

  @Test func readsSeveralPoolsInOrderAndNone() throws {
    let spec = try SpecParser.parse(
      "hugepages:\n  pools:\n    - {size: 1G, count: 4}\n    - {size: 2048K, count: 512}\n", file: "host.yaml")
    #expect(spec.hugepages?.pools.map(\.sizeKiB) == [1_048_576, 2048])
    #expect(spec.hugepages?.writtenAsPools == true)
    let none = try SpecParser.parse("hugepages: none\ncpu:\n  isolated: none\n", file: "host.yaml")
    #expect(none.hugepages?.isNone == true)
    #expect(none.cpu == HostSpec.CPU(isolated: nil))
  }

  @Test func wrongValuesAreRefusedAtTheirPositions() throws {
    let text = """
      hugepages:
        size: 3X
        count: {a: 2, 1: -4}
        mode: early
        host_reserve: lots
      cpu:
        isolated: 4-2
      """
    let error = #expect(throws: SpecError.self) { try SpecParser.parse(text, file: "host.yaml") }
    #expect(
      error?.description == """
        host.yaml:2:9: error: hugepages.size: must be a page size such as 2M or 1G, not "3X"
        host.yaml:3:11: error: hugepages.count.a: a NUMA node is a number such as 0 or 1, not "a"
        host.yaml:3:20: error: hugepages.count.1: must be a number of pages, or a number per NUMA node such as {0: 8, 1: 8}, not "-4"
        host.yaml:4:9: error: hugepages.mode: must be one of boot, runtime, not "early"
        host.yaml:5:17: error: hugepages.host_reserve: must be an amount of memory such as 2G or 512M, not "lots"
        host.yaml:7:13: error: cpu.isolated: '4-2' is not a CPU number or a range such as 2-15
        """)
  }

  @Test func sizeWithoutCountAndBothFormsAreRefused() throws {
    let alone = #expect(throws: SpecError.self) { try SpecParser.parse("hugepages:\n  size: 2M\n", file: "h.yaml") }
    #expect(alone?.description == "h.yaml:2:3: error: hugepages: needs both size and count (or pools)")
    let both = #expect(throws: SpecError.self) {
      try SpecParser.parse("hugepages:\n  size: 2M\n  count: 4\n  pools: []\n", file: "h.yaml")
    }
    #expect(both?.description == "h.yaml:2:3: error: hugepages: give either size and count or pools, not both")
  }
}
