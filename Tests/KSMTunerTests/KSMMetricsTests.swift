import Testing

@testable import KSMTuner

@Suite struct KSMMetricsTests {
  /// A busy host on a kernel with general_profit, after a cycle that started KSM: every metric
  /// with its HELP and TYPE lines, bytes from pages and kB, seconds from milliseconds.
  @Test func aStartedCycleRendersEveryMetricInPrometheusTextFormat() {
    let decision = KSMDecision(
      action: .start(pagesToScan: 364, sleepMillisecs: 10), npages: 364,
      messages: ["committed 14446180 free 1000000", "KSMCTL start 364 10"])
    let metrics = KSMMetrics(
      sysfs: [
        "run": 1, "pages_to_scan": 364, "sleep_millisecs": 1500, "pages_shared": 1200, "pages_sharing": 52000,
        "pages_unshared": 300, "pages_volatile": 7, "full_scans": 12, "general_profit": -4096,
      ],
      pageSize: 4096, cycles: 3,
      lastCycle: .init(
        decision: decision, committed: 14_446_180, free: 1_000_000, threshold: 3_174_990, time: 1_796_094_518))
    #expect(
      metrics.exposition == """
        # HELP virthost_ksm_run KSM's run mode (/sys/kernel/mm/ksm/run): 0 stopped, 1 merging, 2 unmerging.
        # TYPE virthost_ksm_run gauge
        virthost_ksm_run 1
        # HELP virthost_ksm_pages_to_scan Pages KSM scans per wake-up.
        # TYPE virthost_ksm_pages_to_scan gauge
        virthost_ksm_pages_to_scan 364
        # HELP virthost_ksm_sleep_seconds Seconds KSM sleeps between scans (sleep_millisecs).
        # TYPE virthost_ksm_sleep_seconds gauge
        virthost_ksm_sleep_seconds 1.5
        # HELP virthost_ksm_pages_shared Shared KSM pages in use (one copy each).
        # TYPE virthost_ksm_pages_shared gauge
        virthost_ksm_pages_shared 1200
        # HELP virthost_ksm_pages_sharing Pages that share a KSM page: the pages saved.
        # TYPE virthost_ksm_pages_sharing gauge
        virthost_ksm_pages_sharing 52000
        # HELP virthost_ksm_pages_unshared Pages KSM checks that are unique.
        # TYPE virthost_ksm_pages_unshared gauge
        virthost_ksm_pages_unshared 300
        # HELP virthost_ksm_pages_volatile Pages changing too fast for KSM to merge.
        # TYPE virthost_ksm_pages_volatile gauge
        virthost_ksm_pages_volatile 7
        # HELP virthost_ksm_full_scans_total Full scans of the mergeable memory since boot.
        # TYPE virthost_ksm_full_scans_total counter
        virthost_ksm_full_scans_total 12
        # HELP virthost_ksm_saved_bytes Memory KSM saves: pages_sharing times the page size.
        # TYPE virthost_ksm_saved_bytes gauge
        virthost_ksm_saved_bytes 212992000
        # HELP virthost_ksm_profit_bytes What KSM saves less its own metadata, as the kernel counts it (general_profit).
        # TYPE virthost_ksm_profit_bytes gauge
        virthost_ksm_profit_bytes -4096
        # HELP virthost_ksm_tuner_cycles_total Tuning cycles the tuner ran since it started.
        # TYPE virthost_ksm_tuner_cycles_total counter
        virthost_ksm_tuner_cycles_total 3
        # HELP virthost_ksm_tuner_decision The tuner's last decision: 1 for the action it took, 0 for the other.
        # TYPE virthost_ksm_tuner_decision gauge
        virthost_ksm_tuner_decision{action="start"} 1
        virthost_ksm_tuner_decision{action="stop"} 0
        # HELP virthost_ksm_tuner_npages The npages the tuner carries into its next cycle.
        # TYPE virthost_ksm_tuner_npages gauge
        virthost_ksm_tuner_npages 364
        # HELP virthost_ksm_tuner_committed_bytes Memory resident in KVM guests at the last cycle.
        # TYPE virthost_ksm_tuner_committed_bytes gauge
        virthost_ksm_tuner_committed_bytes 14792888320
        # HELP virthost_ksm_tuner_free_bytes Free memory at the last cycle (MemFree + Buffers + Cached).
        # TYPE virthost_ksm_tuner_free_bytes gauge
        virthost_ksm_tuner_free_bytes 1024000000
        # HELP virthost_ksm_tuner_threshold_bytes The tuner's free-memory threshold.
        # TYPE virthost_ksm_tuner_threshold_bytes gauge
        virthost_ksm_tuner_threshold_bytes 3251189760
        # HELP virthost_ksm_tuner_last_cycle_timestamp_seconds When the last cycle ran, seconds since the Unix epoch.
        # TYPE virthost_ksm_tuner_last_cycle_timestamp_seconds gauge
        virthost_ksm_tuner_last_cycle_timestamp_seconds 1796094518

        """)
  }

  /// Before the first cycle, on an old kernel whose KSM folder lacks files: what is unknown is
  /// left out (no decision, no profit, no sleep), never shown as 0; the cycle count is 0.
  @Test func unknownValuesAreLeftOutNotShownAsZero() {
    let metrics = KSMMetrics(sysfs: ["run": 0, "pages_sharing": 3], pageSize: 65536)
    #expect(
      metrics.exposition == """
        # HELP virthost_ksm_run KSM's run mode (/sys/kernel/mm/ksm/run): 0 stopped, 1 merging, 2 unmerging.
        # TYPE virthost_ksm_run gauge
        virthost_ksm_run 0
        # HELP virthost_ksm_pages_sharing Pages that share a KSM page: the pages saved.
        # TYPE virthost_ksm_pages_sharing gauge
        virthost_ksm_pages_sharing 3
        # HELP virthost_ksm_saved_bytes Memory KSM saves: pages_sharing times the page size.
        # TYPE virthost_ksm_saved_bytes gauge
        virthost_ksm_saved_bytes 196608
        # HELP virthost_ksm_tuner_cycles_total Tuning cycles the tuner ran since it started.
        # TYPE virthost_ksm_tuner_cycles_total counter
        virthost_ksm_tuner_cycles_total 0

        """)
  }

  /// A stop decision sets the stop state, and milliseconds become seconds without trailing zeros.
  @Test(arguments: [(20, "0.02"), (10, "0.01"), (1000, "1"), (1001, "1.001"), (0, "0"), (120_000, "120")])
  func sleepMillisecondsAreSecondsInDecimal(milliseconds: Int, seconds: String) {
    let stop = KSMDecision(action: .stop, npages: 64, messages: [])
    let metrics = KSMMetrics(
      sysfs: ["sleep_millisecs": milliseconds], pageSize: 4096, cycles: 1,
      lastCycle: .init(decision: stop, committed: 0, free: 2, threshold: 1, time: 0))
    let lines = metrics.exposition.split(separator: "\n")
    #expect(lines.contains("virthost_ksm_sleep_seconds \(seconds)"))
    #expect(lines.contains(#"virthost_ksm_tuner_decision{action="start"} 0"#))
    #expect(lines.contains(#"virthost_ksm_tuner_decision{action="stop"} 1"#))
  }
}
