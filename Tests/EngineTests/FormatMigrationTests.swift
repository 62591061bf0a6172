import Foundation
import TestSupport
import Testing

@testable import Engine

/// Plan files and backups written by an earlier virthost: a plan of format 1 (captured from
/// the Intel example before the plan model was typed) or 2 (before the typed operations,
/// captured from the ksm-off example) is refused with a message to plan again; a backup of
/// manifest format 1 (before the state formats v2) still rolls back, with a warning.
@Suite struct FormatMigrationTests {
  static let fixtures = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/format-1")

  @Test(arguments: [(1, "intel-grub2-systemd"), (2, "ksm-off")])
  func anOlderPlanFileIsRefusedWithAMessageToPlanAgain(_ version: Int, _ name: String) throws {
    let host = try ExampleHost(name)
    let file = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/format-\(version)/plan.json")
    let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "ROOT", with: host.root.path)
    #expect(PlanDocument.isPlan(Data(text.utf8)))
    let error = #expect(throws: PlanFileError.self) { try PlanDocument.decode(Data(text.utf8), file: "plan.json") }
    #expect(
      error?.description
        == "plan.json: has plan format version \(version); this virthost reads version 3: plan again with this virthost"
    )
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
