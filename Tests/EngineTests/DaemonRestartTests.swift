import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands
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

  /// After an apply that changed qemu.conf on another root (the restart left pending), a plan
  /// that changes nothing judges what is left: libvirtd (pid file, /proc) started before the
  /// change owes a restart, and the guest started before it keeps the old settings.
  @Test func aRestartStillOwedAndTheGuestsOnTheOldSettingsArePendingRestarts() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan(Self.qemu))
    let boot = Int(Date().timeIntervalSince1970) - 1000
    let stat = { (pid: Int, seconds: Int) in
      "\(pid) (x) S 1 \(pid) \(pid) 0 -1 4194560 0 0 0 0 5 3 0 0 20 0 1 0 \(seconds * 100) 1 2\n"
    }
    try host.root.write("/proc/stat", "btime \(boot)\n")
    try host.root.write("/run/libvirtd.pid", "812\n")
    try host.root.write("/proc/812/comm", "libvirtd\n")
    try host.root.write("/proc/812/stat", stat(812, 100))
    try host.root.write("/proc/900/cmdline", "qemu-system-x86_64\u{0}-name\u{0}guest=web,debug-threads=on\u{0}")
    try host.root.write("/proc/900/stat", stat(900, 50))
    let plan = try host.plan(Self.qemu)
    #expect(!plan.hasChanges)
    let judged = plan.diagnostics.filter { $0.address == Self.restart }
    #expect(judged.map(\.code) == [.daemonRestartOwed, .guestsOnOldSettings])
    #expect(
      judged.map(\.summary) == [
        "pending restart: libvirtd.service started before /etc/libvirt/qemu.conf last changed, so it runs on the old settings",
        "guest 'web' started before /etc/libvirt/qemu.conf last changed and keeps the settings it started with",
      ])
    #expect(judged.allSatisfy { $0.code.contribution == .pendingRestart })
    // check: both are pending restarts (the files are right; apply does not restart for them), a warning.
    let report = DriftReport(plan: plan, facts: HostFacts.gather(root: host.root.host), live: false)
    let effects = report.items.filter { $0.address == Self.restart.description }
    #expect(
      effects.map { "\($0.id) \($0.verdict.rawValue)" } == [
        "libvirt.qemu/effect:daemon-restart-owed pending_restart",
        "libvirt.qemu/effect:guests-on-old-settings pending_restart",
      ])
    #expect(report.summary.status == .warning)
  }

  @Test func aDaemonStartedAfterTheChangeOwesNothing() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan(Self.qemu))
    try host.root.write("/proc/stat", "btime \(Int(Date().timeIntervalSince1970) + 10)\n")
    try host.root.write("/run/libvirtd.pid", "812\n")
    try host.root.write("/proc/812/comm", "libvirtd\n")
    try host.root.write("/proc/812/stat", "812 (libvirtd) S 1 1 1 0 -1 0 0 0 0 0 5 3 0 0 20 0 1 0 100 1 2\n")
    let plan = try host.plan(Self.qemu)
    #expect(!plan.diagnostics.contains { $0.address == Self.restart })
  }
}
