import Foundation
import HostConfig
import HostFacts
import Libvirt
import TestSupport
import Testing

@testable import Engine

/// `virthost facts` on the live host reads the domains through libvirt's API: whether each
/// runs, and where a running guest runs now against its definition and the host's isolation
/// (libvirt's test driver with numa-pinned's two domains running; the host isolates 1-3,5-7).
@Suite struct GuestFactsLiveTests {
  static func read(_ live: LiveGuests, uri: String? = nil) throws -> DomainPlacementFacts.LiveRead {
    try live.host.root.write("/sys/devices/system/cpu/isolated", "1-3,5-7\n")
    let shared = live.shared
    let connector = uri == nil ? LibvirtConnector { _, _ in shared.connection } : .fresh
    let host = live.host.root.host
    return DomainPlacementFacts.read(
      host, facts: HostFacts.gather(root: host), uri: uri ?? live.uri, connector: connector)
  }

  @Test func aRunningGuestIsShownWithItsLiveAffinityAndWhereItMayRunOnHousekeepingCPUs() throws {
    let live = try LiveGuests()
    let read = try Self.read(live)
    #expect(read.unread == nil)
    let guests = try #require(read.guests)
    #expect(guests.map(\.name) == ["db", "web"])
    #expect(guests.map(\.running) == [true, true])
    #expect(guests.map(\.libvirtURI) == [live.uri, live.uri])
    #expect(guests[1].liveVcpuAffinity == ["0-7", "0-7"])
    #expect(guests[1].liveEmulator == "0-7")
    #expect(
      guests[1].findings == [
        "vCPU 0-1 not pinned: it runs on any CPU, housekeeping ones included (isolated: 1-3,5-7)",
        "running: vCPU 0 may run on housekeeping CPUs 0,4 (isolated: 1-3,5-7)",
        "running: vCPU 1 may run on housekeeping CPUs 0,4 (isolated: 1-3,5-7)",
        "running: the emulator may run on isolated CPUs 1-3,5-7",
      ])
  }

  @Test func aRunningGuestMovedOffItsDefinitionsPinsIsSaid() throws {
    let live = try LiveGuests()
    _ = try live.engine.apply(try live.plan())
    var guests = try #require(try Self.read(live).guests)
    #expect(guests[1].liveVcpuAffinity == ["1", "5"] && guests[1].liveEmulator == "0,4")
    // The pool is the host's, not the guest's: it stays said (node 0 reserves no 1 GiB pages here).
    let pool = "needs 4 pages of 1G on node 0; the pool there holds 0"
    #expect(guests[1].findings == [pool])
    try live.connection().domain(named: "web").pinVcpu(0, to: CPUSet(0..<2, capacity: 8))
    guests = try #require(try Self.read(live).guests)
    #expect(guests[1].liveVcpuAffinity == ["0-1", "5"])
    #expect(
      guests[1].findings == [
        pool, "running: vCPU 0 on 0-1, its definition pins it to 1",
        "running: vCPU 0 may run on housekeeping CPUs 0 (isolated: 1-3,5-7)",
      ])
  }

  @Test func whenLibvirtCannotBeReadTheFilesAreShownWithTheReason() throws {
    let live = try LiveGuests()
    let missing = "test:///nonexistent/virthost-\(UUID().uuidString).xml"
    let read = try Self.read(live, uri: missing)
    #expect(read.guests?.map(\.name) == ["db", "web"])
    #expect(read.guests?.map(\.running) == [nil, nil])
    #expect(read.unread?.hasPrefix("\(missing): cannot read the domains through libvirt: ") == true)
    #expect(read.unread?.hasSuffix("; read from the files") == true)
  }
}
