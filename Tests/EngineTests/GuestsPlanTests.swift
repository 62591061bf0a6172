import Foundation
import TestSupport
import Testing

@testable import Engine

/// Issue 36 end to end on the numa-pinned example: its two domains in
/// `/etc/libvirt/qemu` placed from host.yaml, the XML diffs planned, nothing defined or written.
@Suite struct GuestsPlanTests {
  /// The example's host.yaml with its `guests:` block replaced by `guests`.
  static func spec(_ guests: String) throws -> String {
    let text = try ExampleHost("numa-pinned").specText
    let start = try #require(text.range(of: "guests:\n"))
    return String(text[..<start.lowerBound]) + guests
  }

  @Test func thePlanIsByteStableAndItsXMLDiffIsTheGolden() throws {
    let host = try ExampleHost("numa-pinned")
    let first = try host.plan()
    let second = try host.plan()
    #expect(host.text(first, diff: true) == host.text(second, diff: true))
    let domains = first.changes.flatMap(\.domainDefinitions)
    #expect(domains.map(\.name) == ["db", "web"])
    let diff = UnifiedDiff.of(domains.map(\.xml))
    #expect(diff == (try host.golden("domains.diff", diff)))
  }

  @Test func theSavedPlanKeepsEachDefinitionAsItsDomainPathAndDigests() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan()
    let document = PlanDocument(plan)
    let saved = document.changes.flatMap(\.operations).filter { $0.kind == .defineDomain }
    #expect(saved.map(\.domain) == ["db", "web"])
    #expect(saved.map(\.path) == ["/etc/libvirt/qemu/db.xml", "/etc/libvirt/qemu/web.xml"])
    let xml = plan.changes.flatMap(\.domainDefinitions).map(\.xml)
    #expect(saved.map(\.beforeDigest) == xml.map(\.beforeDigest))
    #expect(saved.map(\.afterDigest) == xml.map(\.afterDigest))
    #expect(document.diff.contains("+++ b/etc/libvirt/qemu/web.xml"))
  }

  @Test func aDefinitionThatCannotBeReadIsAnErrorNamingIt() throws {
    let host = try ExampleHost("numa-pinned")
    try host.root.write(
      "/etc/libvirt/qemu/web.xml", "<domain type='kvm'>\n  <vcpu placement='static>2</vcpu>\n</domain>\n")
    let plan = try host.plan()
    let errors = plan.diagnostics.filter { $0.severity == .error }
    #expect(errors.map(\.summary) == ["/etc/libvirt/qemu/web.xml:2:9: cannot be parsed: Syntax error"])
    #expect(errors.map(\.code) == [.hostFile])
    #expect(plan.changes.allSatisfy { $0.address.kind != .domain })
  }

  @Test func applyDefinesNothingAndWritesNoDomainFile() throws {
    let host = try ExampleHost("numa-pinned")
    let before = try host.root.snapshot()
    let report = try host.engine.apply(try host.plan())
    #expect(report.skipped.contains { $0.hasPrefix("define domain db: the root is not /: define on the host") })
    let after = try host.root.snapshot()
    #expect(after["etc/libvirt/qemu/db.xml"] == before["etc/libvirt/qemu/db.xml"])
    #expect(after["etc/libvirt/qemu/web.xml"] == before["etc/libvirt/qemu/web.xml"])
  }

  @Test func aSpecThatOverCommitsANodeIsRefusedNamingTheGuestsAndThePages() throws {
    let host = try ExampleHost("numa-pinned")
    let spec = try Self.spec(
      """
      guests:
        db:
          memory: {node: 0, hugepages: 1G}
        web:
          memory: {node: 0, hugepages: 1G}

      """)
    let plan = try host.plan(spec)
    let errors = plan.diagnostics.filter { $0.severity == .error }
    #expect(
      errors.map(\.summary) == ["node 0's 1G pool holds 8 pages; the guests placed there need 12: db 8, web 4"])
    #expect(
      errors.first?.location?.line
        == spec.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
          $0 == "    memory: {node: 0, hugepages: 1G}"
        }.map { $0 + 1 })
    #expect(plan.changes.allSatisfy { $0.address.kind != .domain })
    let before = try host.root.snapshot()
    #expect(throws: EngineError.self) { try host.engine.apply(plan) }
    #expect(try host.root.snapshot() == before, "nothing written")
  }

  @Test func anUnknownDomainIsAnErrorAtItsLine() throws {
    let host = try ExampleHost("numa-pinned")
    let spec = try Self.spec("guests:\n  mail:\n    vcpus: pinned\n")
    let plan = try host.plan(spec)
    let error = try #require(plan.diagnostics.first { $0.severity == .error })
    #expect(error.summary == "no domain named mail")
    #expect(error.detail == "The domains defined: db, web.")
    let line = spec.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "  mail:" }
    #expect(error.location?.line == line.map { $0 + 1 })
  }

  @Test func badValuesAreErrorsAtTheirLines() throws {
    let spec = "guests:\n  web:\n    vcpus: many\n    memory: {node: first, hugepages: 3X}\n    cpu: host\n"
    let error = #expect(throws: SpecError.self) { _ = try SpecParser.parse(spec, file: "host.yaml") }
    #expect(
      error?.diagnostics.map { "\($0.location!.line):\($0.keyPath!): \($0.summary)" } == [
        "3:guests.web.vcpus: must be pinned or a CPU list such as 2-3,6: 'many' is not a CPU number or a range such as 2-15",
        "4:guests.web.memory.node: must be a NUMA node number such as 0, or auto, not \"first\"",
        "4:guests.web.memory.hugepages: must be a page size such as 2M or 1G, not \"3X\"",
        "5:guests.web.cpu: must be one of host-passthrough, host-model, not \"host\"",
      ])
  }
}
