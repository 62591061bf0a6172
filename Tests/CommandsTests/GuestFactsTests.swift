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
    #expect(guests[0].findings == ["vCPU 0-3 not pinned: it runs on any CPU, housekeeping ones included (isolated: 1-3,5-7)"])
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
