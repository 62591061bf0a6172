import Foundation
import TestSupport
import Testing

@testable import Engine

/// Issue 35: the QEMU driver's daemon restarted after a qemu.conf change or a new hugetlbfs
/// mount; on a root that is not the live `/` the restart is pending.
@Suite struct DaemonRestartTests {
  static let restart = ResourceAddress(.daemonRestart, "libvirtd.service")
  static let qemu = "libvirt:\n  daemons: auto\n  qemu:\n    max_files: 32768\n"
  static let mount = "hugepages:\n  size: 1G\n  count: {0: 4, 1: 4}\n"

  /// The two-node example root with Debian 12's libvirt units, qemu.conf and lens.
  private func host() throws -> ExampleHost {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/debian_version", "12.12\n")
    try host.root.write("/etc/group", "libvirt-qemu:x:64055:\n")
    let packages = "libvirt-daemon-system/"
    for unit in OracleRoot.libvirtUnits {
      let text = try String(contentsOf: OracleRoot.packages.appendingPathComponent(unit), encoding: .utf8)
      try host.root.write("/lib/systemd/system/" + (unit as NSString).lastPathComponent, text)
    }
    try host.root.write(
      "/etc/libvirt/qemu.conf",
      try String(
        contentsOf: OracleRoot.packages.appendingPathComponent(packages + "etc/libvirt/qemu.conf"), encoding: .utf8))
    try host.root.write(
      "/usr/share/augeas/lenses/libvirtd_qemu.aug",
      try String(
        contentsOf: OracleRoot.packages.appendingPathComponent(
          "libvirt-daemon-driver-qemu/usr/share/augeas/lenses/libvirtd_qemu.aug"), encoding: .utf8))
    return host
  }

  @Test func aQemuConfChangeRestartsLibvirtdPendingOnAnotherRootAndThenNothing() throws {
    let host = try host()
    let plan = try host.plan(Self.qemu)
    #expect(!plan.hasErrors, "\(plan.diagnostics.map(\.summary))")
    let restart = try #require(plan.changes.first { $0.address == Self.restart })
    #expect(restart.operations == [.restartService("libvirtd.service")])
    #expect(restart.reason == "libvirtd.service reads /etc/libvirt/qemu.conf only when it starts")
    #expect(restart.origins == ["libvirt.qemu"])
    let report = try host.engine.apply(plan)
    #expect(
      report.skipped.contains(
        "restart service libvirtd.service: the root is not /; pending restart: restart libvirtd.service on the host "
          + "itself"))
    #expect(!(try host.plan(Self.qemu)).changes.contains { $0.address == Self.restart })
  }

  @Test func aNewMountRestartsLibvirtdAfterEveryServiceOperation() throws {
    let host = try host()
    let plan = try host.plan(Self.mount + "libvirt:\n  daemons: monolithic\n")
    #expect(!plan.hasErrors, "\(plan.diagnostics.map(\.summary))")
    let restart = try #require(plan.changes.first { $0.address == Self.restart })
    #expect(restart.reason == "libvirtd.service reads /etc/systemd/system/dev-hugepages1G.mount only when it starts")
    #expect(restart.origins == ["hugepages.mounts"])
    let services = plan.pendingChanges.flatMap(\.operations).filter { $0.phase == .services }
    #expect(services.last == .restartService("libvirtd.service"))
    #expect(services.count > 1)
  }

  @Test func withoutLibvirtInTheSpecNothingIsRestarted() throws {
    let plan = try host().plan(Self.mount)
    #expect(!plan.changes.contains { $0.address.kind == .daemonRestart })
  }
}
