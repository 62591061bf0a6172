import Foundation
import RootFS
import TestSupport
import Testing

@testable import Engine

/// The apply machinery on hand-made plans: lock, backups, order, failure report, rollback.
@Suite struct ApplierTests {
  static let seed = "examples/centos6-amd/root"

  static func plan(_ root: FixtureRoot, _ changes: [ResourceChange]) -> Plan {
    Plan(
      root: root.path, specFile: "host.yaml", specText: "", changes: changes, diagnostics: [], observations: [],
      regeneration: nil)
  }

  static func fileChange(_ root: FixtureRoot, _ path: String, _ after: String?) throws -> ResourceChange {
    var change = ResourceChange(.init(.file, path), actions: [.update], before: nil, after: nil, reason: "", origin: "")
    let before = FileManager.default.contents(atPath: root.path + path)
    change.operations = [.writeFile(FileOperation(path: path, before: before, after: after.map { Data($0.utf8) }))]
    return change
  }

  static func liveChange(_ path: String, _ value: String) -> ResourceChange {
    var change = ResourceChange(
      .init(.sysfs, path), actions: [.update], before: nil, after: nil, reason: "", origin: "")
    change.operations = [.writeLive(LiveWrite(path: path, value: value))]
    return change
  }

  @Test func appliesFilesThenLiveValuesAndRollbackRestoresTheTreeByteForByte() throws {
    let root = try FixtureRoot(Self.seed)
    let before = try root.snapshot()
    let original = try root.text("/etc/ksmtuned.conf")
    let plan = Self.plan(
      root,
      [
        try Self.fileChange(root, "/etc/ksmtuned.conf", "KSM_NPAGES_MAX=2000\n"),
        try Self.fileChange(root, "/etc/sysctl.d/90-virthost.conf", "vm.swappiness = 10\n"),
        Self.liveChange("/sys/kernel/mm/ksm/run", "1"),
      ])
    var events: [ApplyEvent] = []
    let report = try Applier(host: root.host, runsCommands: false).apply(plan) { events.append($0) }
    #expect(
      report.applied == [
        "write /etc/ksmtuned.conf", "create /etc/sysctl.d/90-virthost.conf", "write 1 to /sys/kernel/mm/ksm/run",
      ])
    #expect(events.filter { $0.outcome == .done }.map(\.step) == report.applied)
    #expect(try root.text("/etc/ksmtuned.conf") == "KSM_NPAGES_MAX=2000\n")
    #expect(try root.text("/sys/kernel/mm/ksm/run") == "1\n")
    let backup = try #require(report.backup)
    let loaded = try BackupStore(root: root.host).read(backup)
    #expect(loaded.formatVersion == 2 && loaded.isAuthentic)
    let manifest = loaded.manifest
    #expect(manifest.files.map(\.path) == ["/etc/ksmtuned.conf", "/etc/sysctl.d/90-virthost.conf"])
    #expect(manifest.files.map(\.existed) == [true, false])
    #expect(manifest.files[0].replacedSha256 == SHA256.hex(Array(original.utf8)))
    #expect(manifest.files.map(\.replacedSha256).last == .some(nil))
    #expect(
      manifest.files.map(\.wroteSha256) == [
        SHA256.hex(Array("KSM_NPAGES_MAX=2000\n".utf8)),
        SHA256.hex(Array(try root.text("/etc/sysctl.d/90-virthost.conf").utf8)),
      ])
    #expect(manifest.live == [.init(path: "/sys/kernel/mm/ksm/run", value: "0")])
    #expect(manifest.liveWrites?.map(\.path) == ["/sys/kernel/mm/ksm/run"])
    #expect(manifest.liveWrites?.map(\.value) == ["1"])

    let engine = Engine(planner: Planner(root: root.host))
    let rollback = try engine.rollback()
    #expect(rollback.backup == backup)
    #expect(try Snapshots.differences(before, root.snapshot()) == [])
    #expect(try BackupStore(root: root.host).read(backup).manifest.rolledBack)
    let again = #expect(throws: EngineError.self) { try engine.rollback() }
    #expect(again?.description == "the last apply (backup \(backup)) has been rolled back already")
  }

  @Test func stopsAtTheFirstFailureAndSaysWhatWasAndWasNotApplied() throws {
    let root = try FixtureRoot(Self.seed)
    var stale = try Self.fileChange(root, "/etc/ksmtuned.conf", "x\n")
    var file = stale.files[0]
    file.before = Data("not what is on disk\n".utf8)
    stale.operations = [.writeFile(file)]
    let plan = Self.plan(
      root,
      [
        try Self.fileChange(root, "/etc/sysctl.conf", "vm.swappiness = 10\n"), stale,
        Self.liveChange("/sys/kernel/mm/ksm/run", "1"),
      ])
    let error = #expect(throws: EngineError.self) {
      try Applier(host: root.host, runsCommands: false).apply(plan) { _ in }
    }
    guard case .failed(let failure) = error else {
      Issue.record("expected a failure, got \(String(describing: error))")
      return
    }
    #expect(failure.step == "write /etc/ksmtuned.conf")
    #expect(failure.message == "/etc/ksmtuned.conf: changed since it was planned; nothing written to it")
    #expect(failure.applied == ["create /etc/sysctl.conf"])
    #expect(failure.notApplied == ["write 1 to /sys/kernel/mm/ksm/run"])
    #expect(try root.text("/sys/kernel/mm/ksm/run") == "0\n")
  }

  @Test func aSecondLockOnTheSameRootWaitsThenFailsWithAClearMessage() throws {
    let root = try FixtureRoot(Self.seed)
    let first = try ApplyLock(root: root.host, wait: .milliseconds(100))
    let clock = ContinuousClock()
    let start = clock.now
    let error = #expect(throws: EngineError.self) { _ = try ApplyLock(root: root.host, wait: .milliseconds(300)) }
    #expect(clock.now - start >= .milliseconds(300))
    #expect(
      error?.description
        == "another virthost apply or rollback holds the lock on \(root.path) (\(root.path)/var/lib/virthost/lock); "
        + "waited 0.3 seconds. Try again when it has finished.")
    withExtendedLifetime(first) {}
    _ = consume first
    _ = try ApplyLock(root: root.host, wait: .milliseconds(100))
  }

  @Test func rollbackWithoutBackupsSaysThereIsNothingToRollBack() throws {
    let root = try FixtureRoot(Self.seed)
    let error = #expect(throws: EngineError.self) { try Engine(planner: Planner(root: root.host)).rollback() }
    #expect(error?.description == "nothing to roll back: no backups under \(root.path)/var/lib/virthost/backups")
  }

  /// user::rw-, user:4242:r--, group::r--, mask::r--, other::---: mode 0640 with one named user.
  static let acl = FileAttributes.posixACL([
    .init(tag: 1, permissions: 6), .init(tag: 2, permissions: 4, id: 4242), .init(tag: 4, permissions: 4),
    .init(tag: 0x10, permissions: 4), .init(tag: 0x20, permissions: 0),
  ])

  /// Gives `path` under `root` mode 0640, owner 4242, group 4343, ``acl`` and a `user.*` attribute.
  static func dressUp(_ root: FixtureRoot, _ path: String) throws {
    let file = root.path + path
    #expect(chmod(file, 0o640) == 0)
    #expect(chown(file, 4242, 4343) == 0)
    try #require(FileAttributes.set("system.posix_acl_access", acl, on: file), "no POSIX ACL on \(root.path)")
    try #require(FileAttributes.set("user.virthost.test", Array("kept".utf8), on: file), "no user.* attributes")
  }

  /// Whether `path` under `root` still has what ``dressUp(_:_:)`` gave it.
  static func expectDressedUp(_ root: FixtureRoot, _ path: String, _ when: Comment) throws {
    let status = try #require(root.host.status(path))
    #expect(status.mode == 0o640, when)
    #expect(status.owner == 4242, when)
    #expect(status.group == 4343, when)
    #expect(FileAttributes.value("system.posix_acl_access", of: root.path + path) == acl, when)
    #expect(FileAttributes.value("user.virthost.test", of: root.path + path) == Array("kept".utf8), when)
  }

  @Test func anApplyKeepsModeOwnerGroupACLAndAttributesAndRollbackRestoresTheBytes() throws {
    let host = try ExampleHost("centos6-amd")
    let path = "/etc/ksmtuned.conf"
    let original = try host.root.bytes(path)
    try Self.dressUp(host.root, path)
    let report = try host.engine.apply(try host.plan())
    #expect(report.applied.contains("write \(path)"))
    #expect(try host.root.bytes(path) != original)
    try Self.expectDressedUp(host.root, path, "after the apply")
    _ = try host.engine.rollback()
    #expect(try host.root.bytes(path) == original)
    try Self.expectDressedUp(host.root, path, "after the rollback")
  }

  @Test func rollbackRecreatesAFileTheApplyRemovedWithItsMode() throws {
    let root = try FixtureRoot(Self.seed)
    let original = try root.bytes("/etc/ksmtuned.conf")
    #expect(chmod(root.path + "/etc/ksmtuned.conf", 0o600) == 0)
    let report = try Applier(host: root.host, runsCommands: false).apply(
      Self.plan(root, [try Self.fileChange(root, "/etc/ksmtuned.conf", nil)])
    ) { _ in }
    #expect(report.applied == ["remove /etc/ksmtuned.conf"])
    #expect(!root.host.exists("/etc/ksmtuned.conf"))
    _ = try Engine(planner: Planner(root: root.host)).rollback()
    #expect(try root.bytes("/etc/ksmtuned.conf") == original)
    #expect(root.host.status("/etc/ksmtuned.conf")?.mode == 0o600)
  }
}
