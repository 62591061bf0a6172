import Foundation
import Testing

@testable import Engine

/// Issue 35, "Restarts": a running guest's job holds the QEMU driver's daemon's restart, which is
/// then pending; the jobs come from a ``GuestJobSource`` (libvirt's test driver, or a fixture).
@Suite struct DaemonRestartHoldTests {
  /// A fixture answer of the daemon.
  struct FixedJobs: GuestJobSource {
    var answer: Result<[GuestJob], GuestJobQueryError>
    func jobs() throws(GuestJobQueryError) -> [GuestJob] { try answer.get() }
  }

  static let provider = DaemonRestartProvider(
    daemon: "libvirtd.service",
    triggers: [.init(path: "/etc/libvirt/qemu.conf", origin: "libvirt.qemu")])

  @Test func aMigrationAndABlockJobHoldTheRestartNamingEachGuest() throws {
    let jobs = FixedJobs(
      answer: .success([
        GuestJob(domain: "web", job: "outgoing migration"),
        GuestJob(domain: "db", job: "block copy on vdb"),
      ]))
    let held = try #require(Self.provider.hold(jobs, files: ["/etc/libvirt/qemu.conf"]))
    #expect(held.code == .daemonRestartHeld)
    #expect(held.severity == .warning)
    #expect(held.address == ResourceAddress(.daemonRestart, "libvirtd.service"))
    #expect(
      held.summary
        == "pending restart: libvirtd.service is not restarted: guest 'web' runs an outgoing migration, "
        + "guest 'db' runs a block copy on vdb, which a restart would interrupt")
    #expect(held.code.contribution == .pendingRestart)
  }

  @Test func noJobHoldsNothing() {
    #expect(Self.provider.hold(FixedJobs(answer: .success([])), files: ["/etc/libvirt/qemu.conf"]) == nil)
  }

  @Test func aDaemonThatCannotBeAskedHoldsTheRestartSayingWhy() throws {
    let held = try #require(
      Self.provider.hold(
        FixedJobs(answer: .failure(GuestJobQueryError("cannot ask qemu:///system for its guests' jobs: no socket"))),
        files: ["/etc/libvirt/qemu.conf"]))
    #expect(
      held.summary
        == "pending restart: libvirtd.service is not restarted: cannot ask qemu:///system for its guests' jobs: no socket"
    )
  }

  @Test func theTestDriversGuestsHaveNoJobs() throws {
    // libvirt's test driver has no job calls (VIR_ERR_NO_SUPPORT): its running guest has none.
    let node = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-jobs-\(UUID().uuidString).xml")
    try """
    <node><domain type='test'><name>web</name><memory>1048576</memory><vcpu>1</vcpu>
    <os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/w.img'/>
    <target dev='vda'/></disk></devices></domain></node>
    """.write(to: node, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: node) }
    #expect(try LibvirtGuestJobs(uri: "test://" + node.path).jobs() == [])
  }

  @Test func anUnreachableDaemonIsASentenceNamingItsURIAndSocket() {
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent(
      "virthost-no-libvirtd-\(UUID().uuidString)")
    let uri = "qemu+unix:///system?socket=\(socket.path)"
    #expect {
      try LibvirtGuestJobs(uri: uri).jobs()
    } throws: { error in
      let reason = (error as? GuestJobQueryError)?.reason ?? ""
      return reason.hasPrefix("cannot ask \(uri) for its guests' jobs: virConnectOpenReadOnly '\(uri)' failed: ")
        && reason.contains("Failed to connect socket to '\(socket.path)'")
    }
  }
}
