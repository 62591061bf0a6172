import Foundation
import TestSupport
import Testing

/// The `virthost` executable built next to the tests: exit statuses and messages.
@Suite struct CommandTests {
  static func virthost(_ arguments: [String], in folder: String? = nil) throws -> ProgramRun {
    try ProgramRun.virthost(arguments, in: folder)
  }

  static func example(_ name: String) -> String {
    FixtureRoot.repository.appendingPathComponent("examples/\(name)/host.yaml").path
  }

  @Test func detailedExitcodeIsTwoForChangesZeroForNoneOneForErrors() throws {
    let seed = try FixtureRoot("examples/centos6-amd/root")
    let converged = try FixtureRoot("examples/converged/root")
    #expect(
      try Self.virthost(["plan", Self.example("centos6-amd"), "--root", seed.path, "--detailed-exitcode"]).status == 2)
    #expect(try Self.virthost(["plan", Self.example("centos6-amd"), "--root", seed.path]).status == 0)
    let none = try Self.virthost(["plan", Self.example("converged"), "--root", converged.path, "--detailed-exitcode"])
    #expect(none.status == 0)
    #expect(
      none.output
        == "No changes. The host matches the desired state.\nRead path: full (no trace of a converged apply).\n")
    let invalid = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/invalid.yaml").path
    let bad = try Self.virthost(["plan", invalid, "--root", seed.path, "--detailed-exitcode"])
    #expect(bad.status == 1)
    #expect(bad.output == "")
    #expect(bad.error.hasPrefix("\(invalid):1:8: error: iommu: must be one of on, off, unmanaged, not \"maybe\"\n"))
    #expect(bad.error.split(separator: "\n").count == 11)
  }

  @Test func aPlanSavedWithOutIsAppliedAndThenRefusedAsStale() throws {
    let root = try FixtureRoot("examples/ksm-off/root")
    let folder = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    let saved = try Self.virthost(
      ["plan", Self.example("ksm-off"), "--root", root.path, "--out", "plan.json"], in: folder)
    #expect(saved.status == 0)
    #expect(saved.output.hasSuffix("Saved the plan to plan.json; apply it with `virthost apply plan.json`.\n"))
    let applied = try Self.virthost(["apply", "plan.json"], in: folder)
    #expect(applied.status == 0)
    #expect(
      applied.output == """
          done     disable service ksm
          done     disable service ksmtuned
          done     write 0 to /sys/kernel/mm/ksm/run
        Apply complete: 3 steps done; backup \(try backupName(root)).
        Planned again: no changes. The host matches the desired state.

        """)
    let again = try Self.virthost(["apply", "plan.json"], in: folder)
    #expect(again.status == 1)
    #expect(
      again.error == """
        error: The saved plan is stale; nothing was applied. Since it was made:
          - service ksm changed
          - service ksmtuned changed
          - sysfs /sys/kernel/mm/ksm/run changed
        Run `virthost plan` again.

        """)
    let rollback = try Self.virthost(["rollback", "--root", root.path])
    #expect(rollback.status == 0)
    #expect(rollback.output.hasSuffix("Rolled back the apply of backup \(try backupName(root)): 3 steps.\n"))
  }

  func backupName(_ root: FixtureRoot) throws -> String {
    try FileManager.default.contentsOfDirectory(atPath: root.path + "/var/lib/virthost/backups").sorted().last ?? ""
  }

  @Test func initWritesTheStarterOnceAndPlansFromIt() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let folder = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    let first = try Self.virthost(["init"], in: folder)
    #expect(first.status == 0)
    #expect(first.output == "Wrote host.yaml. Edit it, then run `virthost plan host.yaml`.\n")
    let second = try Self.virthost(["init"], in: folder)
    #expect(second.status == 1)
    #expect(second.error.contains("host.yaml exists already; pass --force to overwrite it"))
    let plan = try Self.virthost(["plan", "--root", root.path, "--detailed-exitcode"], in: folder)
    #expect(plan.status == 2)
    #expect(
      plan.output.hasSuffix("Plan: 2 to change, 2 to enable.\nRead path: full (no trace of a converged apply).\n"))
  }
}
