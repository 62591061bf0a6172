import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Issue 36: `virthost facts` shows each domain's placement from its definition, judged
/// against the isolated CPUs and pools the running host has (the numa-pinned example booted
/// with its isolation, 8 pages of 1 GiB on node 1 only).
@Suite struct GuestFactsTests {
  static func booted() throws -> FixtureRoot {
    let root = try FixtureRoot("examples/numa-pinned/root")
    try root.write("/sys/devices/system/cpu/isolated", "1-3,5-7\n")
    try root.write("/sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages", "8\n")
    let edited = try String(
      contentsOf: FixtureRoot.repository.appendingPathComponent("Tests/EditorsTests/Fixtures/guests/expected/web.xml"),
      encoding: .utf8)
    try root.write("/etc/libvirt/qemu/web.xml", edited)
    return root
  }

  @Test func eachDomainsPlacementIsReadAndWhatDoesNotFitIsSaid() throws {
    let root = try Self.booted()
    let guests = try #require(DomainPlacementFacts.read(root.host, facts: HostFacts.gather(root: root.host)))
    #expect(guests.map(\.name) == ["db", "web"])
    #expect(guests[0].vcpuAffinity == [nil, nil, nil, nil])
    #expect(
      guests[0].findings == ["vCPU 0-3 not pinned: it runs on any CPU, housekeeping ones included (isolated: 1-3,5-7)"])
    #expect(guests[1].vcpuAffinity == ["1", "5"])
    #expect(guests[1].emulator == "0,4" && guests[1].memoryNodes == "0" && guests[1].hugePageSizesKiB == [1_048_576])
    #expect(guests[1].findings == ["needs 4 pages of 1G on node 0; the pool there holds 0"])
  }

  @Test func aRootWithoutLibvirtsFolderHasNoGuestsKey() throws {
    let root = try FixtureRoot("examples/ksm-off/root")
    #expect(DomainPlacementFacts.read(root.host, facts: HostFacts.gather(root: root.host)) == nil)
  }

  @Test func anUnreadableDefinitionIsShownWithItsFileAndLine() throws {
    let root = try Self.booted()
    try root.write("/etc/libvirt/qemu/db.xml", "<domain type='kvm'>\n  <vcpu placement='static>4</vcpu>\n</domain>\n")
    let guests = try #require(DomainPlacementFacts.read(root.host, facts: HostFacts.gather(root: root.host)))
    #expect(guests[0].error?.hasPrefix("/etc/libvirt/qemu/db.xml:2:") == true)
  }
}

/// Issue 36: `virthost check` judges the domains' files against `guests:` (drifted until
/// they are defined with the placement; a running guest is not read yet).
@Suite struct GuestCheckTests {
  static func items(_ root: FixtureRoot) throws -> [String: [String: String]] {
    let run = try ProgramRun.virthost([
      "check", CheckCommandTests.example("numa-pinned"), "--root", root.path, "--format", "json",
    ])
    let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8))
    let document = try #require(object as? [String: Any], "\(run.transcript)")
    let items = try #require(document["items"] as? [[String: String]])
    return Dictionary(
      uniqueKeysWithValues: items.filter { $0["address"]!.hasPrefix("domain") }.map { ($0["address"]!, $0) })
  }

  @Test func aDomainOffItsPlacementIsDriftedAndOneDefinedWithItIsInSync() throws {
    let root = try FixtureRoot("examples/numa-pinned/root")
    var items = try Self.items(root)
    #expect(items[#"domain["db"]"#]?["verdict"] == "drifted")
    #expect(items[#"domain["web"]"#]?["configured"]?.hasPrefix("vcpus unpinned;") == true)
    // web defined with its placement (what the host's `virsh define` of the planned XML leaves).
    let spec = try String(contentsOfFile: CheckCommandTests.example("numa-pinned"), encoding: .utf8)
    let plan = try Planner(root: root.host, bundledTuner: nil).plan(specText: spec, specFile: "host.yaml")
    let web = try #require(plan.changes.flatMap(\.domainDefinitions).first { $0.name == "web" }?.xml.after)
    try root.write("/etc/libvirt/qemu/web.xml", String(decoding: web, as: UTF8.self))
    items = try Self.items(root)
    #expect(items[#"domain["web"]"#]?["verdict"] == "in_sync")
    #expect(items[#"domain["db"]"#]?["verdict"] == "drifted")
  }
}
