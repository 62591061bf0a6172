import Foundation
import TestSupport
import Testing

/// Faults in the middle of `virthost apply` on the seed example: the disk full at
/// every point of the save, and a folder made read-only between plan and apply.
/// Each leaves every file whole (old or new), says what failed, and a new apply converges.
@Suite(.serialized) final class ApplyFaultTests {
  private var mounts: [String] = []

  deinit {
    for mount in mounts.reversed() { try? TreeCopy.run("/bin/umount", [mount]) }
  }

  @Test(.enabled(if: TreeCopy.isRoot, "mounting a tmpfs needs root"))
  func diskFullAtEveryPointOfTheSaveLeavesWholeFilesAndAFreedDiskConverges() throws {
    let seed = try FixtureRoot("examples/centos6-amd/root")
    let planned = try PlannedFiles(spec: TreeCopy.seedSpec, root: seed.path)
    let pristine = try seed.snapshot()
    let disk = URL(fileURLWithPath: seed.path).deletingLastPathComponent().path + "/disk"
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
    try TreeCopy.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk])
    mounts.append(disk)
    // Unmounted before `seed` goes (its folder holds the mount point), not at the suite's end.
    defer {
      try? TreeCopy.run("/bin/umount", [disk])
      mounts.removeAll { $0 == disk }
      withExtendedLifetime(seed) {}
    }
    var failures = 0
    var free = 0
    while true {
      let root = try TreeCopy.copy(seed.path, to: disk + "/host")
      let fillers = fill(disk, leavingPages: free)
      let run = try ProgramRun.virthost(["apply", TreeCopy.seedSpec, "--root", root])
      let found = planned.check(root: root, pristine: pristine, snapshot: try FixtureRoot.snapshot(of: root))
      #expect(found.problems == [], "\(free) pages free")
      let litter = try FixtureRoot.snapshot(of: root).keys.filter(FixtureRoot.isTemporary)
      #expect(litter == [], "\(free) pages free: temporary files left behind\n\(run.transcript)")
      print(
        "ApplyFaultTests: \(free) pages free: status \(run.status): \(run.error.split(separator: "\n").first ?? "")")
      for filler in fillers { try FileManager.default.removeItem(atPath: filler) }
      if run.status == 0 { break }
      failures += 1
      #expect(run.status == 1, "\(run.transcript)")
      #expect(run.error.contains("No space left on device"), "\(free) pages free\n\(run.transcript)")
      let backups = root + "/var/lib/virthost/backups"
      for backup in (try? FileManager.default.contentsOfDirectory(atPath: backups)) ?? [] {
        #expect(
          FileManager.default.fileExists(atPath: "\(backups)/\(backup)/manifest.json"),
          "\(free) pages free: a half backup \(backup) was left")
      }
      let again = try ProgramRun.virthost(["apply", TreeCopy.seedSpec, "--root", root])
      #expect(again.status == 0, "after \(free) pages free\n\(again.transcript)")
      #expect(again.output.contains("Planned again: no changes"), "\(again.transcript)")
      try FileManager.default.removeItem(atPath: disk + "/host")
      free += 1
      if free > 64 {
        Issue.record("apply never succeeded on the small disk")
        return
      }
    }
    print(
      "ApplyFaultTests: the disk full at \(failures) points of the save; every file whole; each converged once freed")
    #expect(failures > 2)
  }

  @Test func aFolderMadeReadOnlyBetweenPlanAndApplyFailsNamingTheFileAndConvergesOnceWritable() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let planned = try PlannedFiles(spec: TreeCopy.seedSpec, root: root.path)
    let pristine = try root.snapshot()
    let planFile = URL(fileURLWithPath: root.path).deletingLastPathComponent().path + "/plan.json"
    let plan = try ProgramRun.virthost(["plan", TreeCopy.seedSpec, "--root", root.path, "--out", planFile])
    #expect(plan.status == 0, "\(plan.transcript)")
    // /etc read-only: grub.conf (written first) can be replaced, ksmtuned.conf cannot.
    let etc = root.path + "/etc"
    if TreeCopy.isRoot {
      try TreeCopy.run("/bin/mount", ["--bind", etc, etc])
      mounts.append(etc)
      try TreeCopy.run("/bin/mount", ["-o", "remount,bind,ro", etc])
    } else {
      try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: etc)
    }
    let run = try ProgramRun.virthost(["apply", planFile])
    #expect(run.status == 1, "\(run.transcript)")
    #expect(run.error.contains("/etc/ksmtuned.conf"), "\(run.transcript)")
    #expect(run.error.contains("Read-only file system") || run.error.contains("Permission denied"), "\(run.transcript)")
    let found = planned.check(root: root.path, pristine: pristine, snapshot: try root.snapshot())
    #expect(found.problems == [])
    if TreeCopy.isRoot {
      try TreeCopy.run("/bin/umount", [etc])
      mounts.removeAll()
    } else {
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: etc)
    }
    let again = try ProgramRun.virthost(["apply", TreeCopy.seedSpec, "--root", root.path])
    #expect(again.status == 0, "\(again.transcript)")
    #expect(again.output.contains("Planned again: no changes"), "\(again.transcript)")
  }

  /// Fills the tmpfs at `disk` with one-page files until it is full, then removes
  /// `pages` of them; returns the files left.
  private func fill(_ disk: String, leavingPages pages: Int) -> [String] {
    var fillers: [String] = []
    let page = Data(count: 4096)
    while FileManager.default.createFile(atPath: disk + "/filler\(fillers.count)", contents: page) {
      fillers.append(disk + "/filler\(fillers.count)")
    }
    try? FileManager.default.removeItem(atPath: disk + "/filler\(fillers.count)")
    for filler in fillers.suffix(pages) { try? FileManager.default.removeItem(atPath: filler) }
    return Array(fillers.dropLast(pages))
  }
}
