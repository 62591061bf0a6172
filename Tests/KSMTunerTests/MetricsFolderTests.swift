import Foundation
import Testing

/// `lstat` of `path`: its type and mode bits, owner; `nil` when there is nothing.
private func entry(_ path: String) -> (type: mode_t, mode: mode_t, owner: uid_t)? {
  var info = stat()
  guard lstat(path, &info) == 0 else { return nil }
  return (info.st_mode & S_IFMT, info.st_mode & 0o7777, info.st_uid)
}

/// The daemon's warning for a metrics folder others than root and its group can write.
private func warning(_ folder: String, mode: String, owner: String, writers: String) -> String {
  "virthost-ksmtuned: warning: the metrics folder \(folder) (mode \(mode), owner \(owner)) can be written by "
    + "\(writers), not only by root and its group: the metrics node_exporter serves can be replaced there; "
    + "make the folder root's, writable by root and its group only\n"
}

/// The metrics file in node_exporter's textfile folder, which the exporter's account owns:
/// the daemon runs as root, the folder's owner is `nobody`, played by a
/// real process.
@Suite(.serialized, .enabled(if: UnprivilegedUser.isAvailable, "needs root and setpriv"))
struct MetricsFolderTests {
  /// The folder's owner plants links to a root-owned file outside it at every name it can
  /// predict (the old `.ksm.prom.PID.tmp`), in a loop racing eleven cycles, then at the
  /// metrics file's own name: the root-owned file stays byte for byte, and the metrics file
  /// is a regular file of root's, mode 0644 under the daemon's umask 077, with the last
  /// cycle's count; no temporary file of the daemon's is left. The daemon warns at its start,
  /// naming the folder and its mode.
  @Test func theFoldersOwnerCannotMakeTheDaemonWriteThroughALink() throws {
    let root = try seedHost(conf: "KSM_MONITOR_INTERVAL=3600\n")
    let base = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    let folder = base + "/textfile"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    try UnprivilegedUser.give(folder, mode: 0o755)
    let victim = base + "/victim"
    let victimText = "root's own file\n"
    try Data(victimText.utf8).write(to: URL(fileURLWithPath: victim))
    #expect(chmod(victim, 0o644) == 0)
    let metrics = folder + "/ksm.prom"
    let output = base + "/daemon.out"
    let daemon = try ChildProcess(
      "/bin/sh",
      [
        "sh", "-c", "umask 077; exec \"$0\" \"$@\"", daemonBinary, "--root", root.path, "--foreground",
        "--pidfile", root.path + "/var/run/tuner.pid", "--metrics-file", metrics,
      ], output: output)
    defer { daemon.stop() }
    #expect(eventually(timeout: 5) { contents(metrics).contains("virthost_ksm_tuner_cycles_total 0\n") })

    let predictable = "\(folder)/.ksm.prom.\(daemon.pid).tmp"
    let planter = try UnprivilegedUser.startShell("while :; do ln -sfn \"$1\" \"$2\"; done", [victim, predictable])
    defer { planter.stop(group: true) }
    #expect(eventually(timeout: 5) { entry(predictable)?.type == S_IFLNK }, "the loop plants its link")
    for cycle in 1...10 {
      kill(daemon.pid, SIGUSR1)
      #expect(
        eventually(timeout: 5) { contents(metrics).contains("virthost_ksm_tuner_cycles_total \(cycle)\n") },
        "cycle \(cycle)")
    }
    planter.stop(group: true)
    let planted = try UnprivilegedUser.shell("ln -sfn \"$1\" \"$2\"", [victim, metrics])
    #expect(planted.status == 0, "\(planted.transcript)")
    #expect(entry(metrics)?.type == S_IFLNK)
    kill(daemon.pid, SIGUSR1)
    #expect(eventually(timeout: 5) { contents(metrics).contains("virthost_ksm_tuner_cycles_total 11\n") })

    #expect(contents(victim) == victimText, "the root-owned file outside the folder is unchanged")
    #expect(entry(victim).map { [$0.type, $0.mode, mode_t($0.owner)] } == [S_IFREG, 0o644, 0])
    let file = try #require(entry(metrics))
    #expect([file.type, file.mode, mode_t(file.owner)] == [S_IFREG, 0o644, 0], "root's regular file, 0644")
    #expect(contents(metrics).hasPrefix("# HELP virthost_ksm_run "))
    let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "ksm.prom" }
    #expect(left.allSatisfy { entry(folder + "/" + $0)?.owner == UnprivilegedUser.uid }, "\(left)")
    #expect(contents(output) == warning(folder, mode: "0755", owner: "nobody", writers: "its owner nobody"))
  }

  /// The warning at the start, for each owner and mode of the folder: none when only root and
  /// the folder's group can write it (node_exporter's group may), one naming the folder and
  /// its mode when its owner is not root or every user can write it (the sticky /tmp too).
  @Test(
    arguments: [
      (UInt32(0), UInt32(0), mode_t(0o755), nil),
      (0, 65534, 0o775, nil),
      (0, 0, 0o700, nil),
      (65534, 65534, 0o755, "its owner nobody"),
      (65534, 0, 0o555, "its owner nobody"),
      (0, 0, 0o757, "every user"),
      (0, 0, 0o1777, "every user"),
    ] as [(uid_t, gid_t, mode_t, String?)])
  func theDaemonWarnsAtItsStartWhenOthersCanWriteTheFolder(
    owner: uid_t, group: gid_t, mode: mode_t, writers: String?
  ) throws {
    let root = try seedHost(conf: "")
    let folder = URL(fileURLWithPath: root.path).deletingLastPathComponent().path + "/textfile"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
    #expect(chown(folder, owner, group) == 0 && chmod(folder, mode) == 0)
    let output = root.path + "/once.out"
    let once = try ChildProcess(
      daemonBinary, ["virthost-ksmtuned", "--root", root.path, "--once", "--metrics-file", folder + "/ksm.prom"],
      output: output)
    #expect(once.wait(timeout: 10) == 0)
    let shown = String(mode, radix: 8)
    let expected = writers.map {
      warning(
        folder, mode: String(repeating: "0", count: 4 - shown.count) + shown,
        owner: owner == 0 ? "root" : "nobody", writers: $0)
    }
    #expect(contents(output) == (expected ?? ""))
    #expect(contents(folder + "/ksm.prom").contains("virthost_ksm_tuner_cycles_total 1\n"))
  }
}
