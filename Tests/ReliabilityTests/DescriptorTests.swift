import Engine
import Foundation
import RootFS
import TestSupport
import Testing

/// No `close(2)` of virthost's fails with `EBADF`: every descriptor it closes is one it
/// still holds. A descriptor closed twice is the worst of bugs in a threaded process: in
/// between, another thread may be given the same number (an Augeas lens file, read by a
/// flex scanner that exits the whole process with "input in flex scanner failed" when its
/// read fails). Each command runs under `strace -f -e trace=close`, which is the oracle.
@Suite(.serialized) struct DescriptorTests {
  /// The lines of `strace`'s log where a close failed with `EBADF`.
  static func failedCloses(_ arguments: [String]) throws -> (run: ProgramRun, failed: [String]) {
    let log = NSTemporaryDirectory() + "virthost-strace-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: log) }
    let run = try ProgramRun.run(
      "/usr/bin/strace", ["-f", "-e", "trace=close", "-o", log, ProgramRun.virthost] + arguments)
    let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    #expect(lines.contains { $0.contains("close(") }, "strace recorded no close: \(run.transcript)")
    return (run, lines.filter { $0.contains("EBADF") }.map(String.init))
  }

  /// An apply that finds the lock held gives up after its wait: the lock file's descriptor
  /// was closed once by the refusal and once more by the lock's `deinit` before the fix.
  @Test func anApplyRefusedByTheLockClosesItsDescriptorOnce() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let held = try ApplyLock(root: HostRoot(root.path))
    let (run, failed) = try Self.failedCloses(["apply", TreeCopy.seedSpec, "--root", root.path])
    withExtendedLifetime(held) {}
    #expect(run.status == 1, "\(run.transcript)")
    #expect(run.error.contains("holds the lock"), "\(run.transcript)")
    #expect(failed == [])
  }

  /// The whole cycle on two examples with many files: plan (saved), apply of the saved plan
  /// (3: a reboot is owed), check (2: the running kernel lacks the arguments), facts (1 on the
  /// passthrough host: its IOMMU fails), rollback (3 there: the initramfs is owed).
  @Test(arguments: [("numa-pinned", [0, 3, 2, 0, 0]), ("gpu-passthrough", [0, 3, 2, 1, 3])] as [(String, [Int32])])
  func theCommandsOfACycleCloseOnlyWhatTheyHold(_ example: String, _ statuses: [Int32]) throws {
    let root = try FixtureRoot("examples/\(example)/root")
    let spec = FixtureRoot.repository.appendingPathComponent("examples/\(example)/host.yaml").path
    let folder = NSTemporaryDirectory() + "virthost-plan-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let commands = [
      ["plan", spec, "--root", root.path, "--out", folder + "/plan.json"], ["apply", folder + "/plan.json"],
      ["check", spec, "--root", root.path], ["facts", "--root", root.path], ["rollback", "--root", root.path],
    ]
    for (arguments, status) in zip(commands, statuses) {
      let (run, failed) = try Self.failedCloses(arguments)
      #expect(run.status == status, "\(arguments): \(run.transcript)")
      #expect(failed == [], "\(arguments)")
    }
  }
}
