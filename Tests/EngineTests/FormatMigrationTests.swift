import Foundation
import TestSupport
import Testing

@testable import Engine

/// Plan files and backups written by an earlier virthost (plan format 1, captured from
/// the Intel example before the plan model was typed) are still read, applied and rolled
/// back; a backup of manifest format 1 (before the state formats v2) with a warning.
@Suite struct FormatMigrationTests {
  static let fixtures = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/format-1")

  @Test func aFormatOnePlanFileIsReadAndApplied() throws {
    let host = try ExampleHost("intel-grub2-systemd")
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("plan.json"), encoding: .utf8)
      .replacingOccurrences(of: "ROOT", with: host.root.path)
    let document = try PlanDocument.decode(Data(text.utf8), file: "plan.json")
    #expect(document.root == host.root.path)
    #expect(document.formatVersion == 1)
    #expect(document.diagnostics.map(\.code) == [.unrecorded])
    #expect(Engine.differences(saved: document, current: PlanDocument(try host.plan())) == [])
    let report = try host.engine.apply(saved: document)
    #expect(report.applied.count == 12)
  }

  @Test func aFormatOneBackupRollsBack() throws {
    let host = try ExampleHost("intel-grub2-systemd")
    let before = try host.root.snapshot()
    let report = try host.engine.apply(try host.plan())
    let backups = host.root.path + BackupStore.folder
    try FileManager.default.removeItem(atPath: backups + "/" + (try #require(report.backup)))
    try FixtureRoot.copyTree(Self.fixtures.appendingPathComponent("backup").path, to: backups + "/20261130T211150Z")
    let rollback = try host.engine.rollback()
    #expect(rollback.backup == "20261130T211150Z")
    #expect(
      rollback.warnings == [
        "backup 20261130T211150Z was made by an earlier virthost (manifest format 1): it cannot be authenticated; "
          + "rolled back as recorded"
      ])
    #expect(try Snapshots.differences(before, host.root.snapshot()) == [])
  }
}
