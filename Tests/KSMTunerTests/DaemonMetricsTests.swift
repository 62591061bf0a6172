import Foundation
import TestSupport
import Testing

/// The metrics file as Prometheus's own parser reads it.
private func parsed(_ path: String) throws -> (samples: [String: Double], types: [String: String]) {
  try PrometheusText.parse(path)
}

private func inode(_ path: String) -> UInt64? {
  var info = stat()
  return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
}

@Suite(.serialized) struct DaemonMetricsTests {
  /// The daemon on the seed host with a guest, KSM_MONITOR_INTERVAL=1: at its start the file
  /// holds KSM's counters and 0 cycles; each cycle replaces it (a new inode, no temporary left
  /// in the folder), and Prometheus's own parser reads the seed cycle's decision from it.
  @Test func eachCycleReplacesTheMetricsFileAndPrometheusParsesTheDecision() throws {
    let root = try seedHost(conf: "KSM_MONITOR_INTERVAL=1\n")
    let folder = root.path + "/textfile"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let metrics = folder + "/virthost-ksmtuned.prom"
    let daemon = try ChildProcess(
      daemonBinary,
      [
        "virthost-ksmtuned", "--root", root.path, "--foreground", "--pidfile", root.path + "/var/run/tuner.pid",
        "--metrics-file", metrics,
      ], output: root.path + "/daemon.out")
    defer { daemon.stop() }

    #expect(eventually(timeout: 5) { contents(metrics).contains("virthost_ksm_tuner_cycles_total 0\n") })
    // Held open, the first file keeps its inode: a later file cannot be given the same number
    // (a freed inode is reused, which once made a replaced file look rewritten in place).
    let held = try #require(FileHandle(forReadingAtPath: metrics))
    defer { try? held.close() }
    let startInode = inode(metrics)
    let start = try parsed(metrics)
    #expect(start.samples["virthost_ksm_pages_to_scan"] == 100, "the seed's value, before any cycle")
    #expect(start.samples["virthost_ksm_tuner_cycles_total"] == 0)
    #expect(start.samples.keys.filter { $0.hasPrefix("virthost_ksm_tuner_decision") }.isEmpty)

    #expect(eventually(timeout: 5) { contents(metrics).contains("virthost_ksm_tuner_cycles_total 2\n") })
    #expect(inode(metrics) != startInode, "replaced by a rename, not rewritten in place")
    let first = String(decoding: try held.readToEnd() ?? Data(), as: UTF8.self)
    #expect(first.contains("virthost_ksm_tuner_cycles_total 0\n"), "the first file, as it was")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["virthost-ksmtuned.prom"])
    let (samples, types) = try parsed(metrics)
    // The seed log's cycle: committed 14446180 kB, free 11641800 kB, thres 3174990 kB; KSMCTL start 64 10.
    #expect(samples["virthost_ksm_tuner_decision{action=\"start\"}"] == 1)
    #expect(samples["virthost_ksm_tuner_decision{action=\"stop\"}"] == 0)
    #expect(samples["virthost_ksm_tuner_committed_bytes"] == Double(14_446_180 * 1024))
    #expect(samples["virthost_ksm_tuner_free_bytes"] == Double(11_641_800 * 1024))
    #expect(samples["virthost_ksm_tuner_threshold_bytes"] == Double(3_174_990 * 1024))
    #expect(samples["virthost_ksm_run"] == 1)
    #expect(samples["virthost_ksm_sleep_seconds"] == 0.01)
    #expect(samples["virthost_ksm_saved_bytes"] == 0)
    #expect(samples["virthost_ksm_full_scans_total"] == 0)
    let cycles = try #require(samples["virthost_ksm_tuner_cycles_total"])
    #expect(cycles >= 2)
    #expect(samples["virthost_ksm_tuner_npages"] == 64, "each decay from 64 stays at KSM_NPAGES_MIN")
    #expect(types["virthost_ksm_tuner_cycles"] == "counter")
    #expect(types["virthost_ksm_full_scans"] == "counter")
    #expect(types["virthost_ksm_saved_bytes"] == "gauge")
    #expect(types.keys.allSatisfy { $0.hasPrefix("virthost_ksm_") })
  }

  /// A metrics file that cannot be written is reported and KSM is still tuned: the cycle's
  /// writes happen, the daemon exits 0, and no temporary file is left.
  @Test func anUnwritableMetricsFileIsReportedAndTheCycleStillTunes() throws {
    let root = try seedHost(conf: "")
    let metrics = root.path + "/missing/virthost-ksmtuned.prom"
    let output = root.path + "/once.out"
    let watcher = try KSMWatcher(root.path + "/sys/kernel/mm/ksm")
    let once = try ChildProcess(
      daemonBinary, ["virthost-ksmtuned", "--root", root.path, "--once", "--metrics-file", metrics], output: output)
    #expect(once.wait(timeout: 10) == 0)
    #expect(watcher.writes(count: 3, timeout: 1) == ["pages_to_scan=64", "sleep_millisecs=10", "run=1"])
    #expect(
      contents(output)
        == "virthost-ksmtuned: cannot write the metrics to \(metrics): the folder \(root.path)/missing:"
        + " No such file or directory; retrying next cycle\n")
  }
}
