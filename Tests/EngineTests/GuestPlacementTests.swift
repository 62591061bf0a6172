import Editors
import HostConfig
import Testing

@testable import Engine

/// Issue 36: guests placed on the isolated CPUs and huge page pools of the example's two
/// nodes (node 0: CPUs 0-1,4-5; node 1: 2-3,6-7; isolated 1-3,5-7; 8 pages of 1G each).
@Suite struct GuestPlacementTests {
  static let host = GuestPlacement.Host(
    nodes: [(0, CPUList([0, 1, 4, 5])), (1, CPUList([2, 3, 6, 7]))], isolated: CPUList([1, 2, 3, 5, 6, 7]),
    pools: [1_048_576: [0: 8, 1: 8]])

  static func domain(_ name: String, vcpus: Int, gib: Int, manager: String? = nil) -> GuestPlacement.Domain {
    var definition = DomainDefinition()
    definition.name = name
    definition.vcpus = vcpus
    definition.memoryKiB = gib * 1_048_576
    definition.manager = manager
    return .init(name: name, definition: definition)
  }

  static func pinned(_ name: String, node: HostSpec.Guest.Node = .auto, size: Int? = 1_048_576) -> HostSpec.Guest {
    var guest = HostSpec.Guest(pattern: name)
    guest.vcpus = .pinned
    guest.emulator = .housekeeping
    guest.memory = .init(node: node, hugePageSizeKiB: size)
    return guest
  }

  static let domains = [domain("db", vcpus: 4, gib: 8), domain("web", vcpus: 2, gib: 4)]

  @Test func theLargestGuestTakesTheNodeThatFitsItAndTheSmallerTheOther() {
    let (placed, problems) = GuestPlacement.place(
      .init(entries: [Self.pinned("web"), Self.pinned("db")]), domains: Self.domains, host: Self.host)
    #expect(problems.isEmpty)
    #expect(placed.map(\.domain) == ["web", "db"])
    #expect(placed.map(\.tuning.vcpuPins) == [["1", "5"], ["2", "3", "6", "7"]])
    #expect(placed.map(\.tuning.emulatorPin) == ["0,4", "0,4"])
    #expect(placed.map(\.tuning.memoryNodeset) == ["0", "1"])
    #expect(placed.map(\.tuning.hugePageSizeKiB) == [1_048_576, 1_048_576])
  }

  @Test func aPoolTooSmallForTheGuestsOfItsNodeIsRefusedWithTheirPages() {
    let domains = [Self.domain("db", vcpus: 2, gib: 6), Self.domain("web", vcpus: 2, gib: 4)]
    let (_, problems) = GuestPlacement.place(
      .init(entries: [Self.pinned("db", node: .number(1)), Self.pinned("web", node: .number(1))]),
      domains: domains, host: Self.host)
    #expect(
      problems == [
        .init(
          keyPath: "guests.db.memory",
          summary: "node 1's 1G pool holds 8 pages; the guests placed there need 10: db 6, web 4",
          detail: "Reserve more 1G pages on node 1 (hugepages.count) or place a guest elsewhere.")
      ])
  }

  @Test func tooFewIsolatedCPUsOnTheNodeAskedForAreRefusedWithWhatIsLeft() {
    let (_, problems) = GuestPlacement.place(
      .init(entries: [Self.pinned("db", node: .number(0))]), domains: Self.domains, host: Self.host)
    #expect(problems.map(\.summary) == ["too few isolated CPUs for db's 4 vCPUs: node 0 has 2 (1,5) left"])
    #expect(problems.map(\.keyPath) == ["guests.db.vcpus"])
  }

  @Test func aCPUListedForTwoGuestsIsRefusedNamingBoth() {
    var db = HostSpec.Guest(pattern: "db")
    db.vcpus = .cpus(CPUList([2, 3, 6, 7]))
    var web = HostSpec.Guest(pattern: "web")
    web.vcpus = .cpus(CPUList([3, 7]))
    let (_, problems) = GuestPlacement.place(.init(entries: [db, web]), domains: Self.domains, host: Self.host)
    #expect(problems.map(\.summary) == ["CPU 3 is claimed by db and web", "CPU 7 is claimed by db and web"])
  }

  @Test func anUnknownDomainACPUOutsideTheHostAndASizeWithoutAPoolAreRefused() {
    var web = HostSpec.Guest(pattern: "web")
    web.vcpus = .cpus(CPUList([1, 12]))
    let entries = [Self.pinned("mail"), web, Self.pinned("db", size: 2048)]
    let (placed, problems) = GuestPlacement.place(.init(entries: entries), domains: Self.domains, host: Self.host)
    #expect(placed.isEmpty)
    #expect(
      problems.map(\.summary) == [
        "no domain named mail", "CPU 12 is outside the host (its CPUs are 0-7)", "no pool of 2M pages for db",
      ])
    #expect(problems.first?.detail == "The domains defined: db, web.")
    #expect(problems[2].detail == "The host reserves 1G pages (hugepages:).")
  }

  @Test func aDomainNovaRegeneratesIsRefusedUnlessForced() {
    let domains = [Self.domain("instance-0000002a", vcpus: 2, gib: 2, manager: "OpenStack nova")]
    var guest = Self.pinned("instance-*")
    let (_, problems) = GuestPlacement.place(.init(entries: [guest]), domains: domains, host: Self.host)
    #expect(
      problems.map(\.summary) == ["instance-0000002a is managed by OpenStack nova, which regenerates its definition"])
    guest.force = true
    let (placed, none) = GuestPlacement.place(.init(entries: [guest]), domains: domains, host: Self.host)
    #expect(none.isEmpty && placed.map(\.domain) == ["instance-0000002a"])
  }

  @Test func aBalloonLargerThanTheGuestsMemoryIsRefused() {
    var web = HostSpec.Guest(pattern: "web")
    web.balloonKiB = 5 * 1_048_576
    let (_, problems) = GuestPlacement.place(.init(entries: [web]), domains: Self.domains, host: Self.host)
    #expect(problems.map(\.summary) == ["the balloon (5242880 KiB) is larger than web's memory (4194304 KiB)"])
  }
}
