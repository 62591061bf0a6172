import Engine
import Foundation
import TestSupport
import Testing

/// Two applies on one root, and a saved plan overtaken by another apply.
@Suite(.serialized) final class ConcurrencyTests {
  @Test func twoAppliesStartedTogetherNeverInterleaveAndTheLoserSaysWhy() throws {
    for round in 0..<10 {
      let root = try FixtureRoot("examples/centos6-amd/root")
      let planned = try PlannedFiles(spec: TreeCopy.seedSpec, root: root.path)
      let runs = try (0..<2).map { _ in
        try RunningProgram(ProgramRun.virthost, ["apply", TreeCopy.seedSpec, "--root", root.path])
      }
      func writes(_ result: ProgramRun) -> Int { result.output.components(separatedBy: "done     write").count - 1 }
      // The winner first: the status, then (both 0: the loser waited and found nothing to do)
      // the one that wrote; the two finish in either order.
      let results = runs.map { $0.finish() }.sorted { ($0.status, -writes($0)) < ($1.status, -writes($1)) }
      #expect(results[0].status == 0, "round \(round)\n\(results[0].transcript)")
      let writes = results.map(writes)
      if results[1].status == 0 {
        // The second waited for the lock and found nothing left to do.
        #expect(writes == [2, 0], "round \(round)\n\(results[1].transcript)")
      } else {
        #expect(results[1].status == 1)
        #expect(writes[1] == 0, "round \(round): the loser wrote\n\(results[1].transcript)")
        #expect(
          results[1].error.contains("holds the lock") || results[1].error.contains("changed"),
          "round \(round)\n\(results[1].transcript)")
      }
      for file in planned.files {
        #expect(Digest.of(try root.bytes(file.path)) == file.after, "round \(round): \(file.path)")
      }
      let backups = try FileManager.default.contentsOfDirectory(atPath: root.path + "/var/lib/virthost/backups")
      #expect(backups.count == 1, "round \(round): one apply made changes")
    }
  }

  @Test func aPlanSavedBeforeAnotherApplyIsRefusedAsStaleAndChangesNothing() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let planFile = URL(fileURLWithPath: root.path).deletingLastPathComponent().path + "/plan.json"
    let plan = try ProgramRun.virthost(["plan", TreeCopy.seedSpec, "--root", root.path, "--out", planFile])
    #expect(plan.status == 0, "\(plan.transcript)")
    let other = try ProgramRun.virthost(["apply", TreeCopy.seedSpec, "--root", root.path])
    #expect(other.status == 0, "\(other.transcript)")
    let before = try root.snapshot()
    let stale = try ProgramRun.virthost(["apply", planFile])
    #expect(stale.status == 1, "\(stale.transcript)")
    #expect(stale.error.contains("The saved plan is stale; nothing was applied."), "\(stale.transcript)")
    #expect(stale.error.contains("- file /boot/grub/grub.conf changed"), "\(stale.transcript)")
    #expect(try root.snapshot() == before)
  }
}
