#if canImport(Glibc)
  import Glibc
#endif

/// What the tuner exposes to Prometheus: KSM's counters as the kernel reports them, what KSM
/// saves, and the tuner's own state (its last decision and how many cycles it ran).
///
/// A plain value: ``exposition`` renders it, and ``KSMMetrics/read(sysfs:)`` fills the
/// kernel's part. Not a reader of anything by itself, and not a Prometheus client: the text
/// goes to a file that node_exporter's textfile collector serves.
public struct KSMMetrics: Equatable, Sendable {
  /// The numeric files of `/sys/kernel/mm/ksm` the metrics show, by name; a file the kernel
  /// lacks (`general_profit` before Linux 6.1) or that holds no number is absent.
  public var sysfs: [String: Int] = [:]
  /// The size of a memory page in bytes (KSM counts pages).
  public var pageSize: Int
  /// Tuning cycles run since the start.
  public var cycles = 0
  /// The last cycle, when one ran.
  public var lastCycle: Cycle?

  /// One tuning cycle: its inputs and its decision.
  public struct Cycle: Equatable, Sendable {
    /// The decision taken.
    public var decision: KSMDecision
    /// Memory resident in KVM guests, kB.
    public var committed: Int
    /// MemFree + Buffers + Cached, kB.
    public var free: Int
    /// The tuner's threshold, kB.
    public var threshold: Int
    /// When the cycle ran, seconds since the Unix epoch.
    public var time: Int

    /// A cycle that took `decision` from `committed` and `free` kB against `threshold` kB at `time`.
    public init(decision: KSMDecision, committed: Int, free: Int, threshold: Int, time: Int) {
      self.decision = decision
      self.committed = committed
      self.free = free
      self.threshold = threshold
      self.time = time
    }
  }

  /// Metrics with no cycle run yet.
  public init(sysfs: [String: Int] = [:], pageSize: Int, cycles: Int = 0, lastCycle: Cycle? = nil) {
    self.sysfs = sysfs
    self.pageSize = pageSize
    self.cycles = cycles
    self.lastCycle = lastCycle
  }

  /// The `/sys/kernel/mm/ksm` files read, each shown as `virthost_ksm_<name>` except where
  /// ``exposition`` renames it for Prometheus's conventions (units, `_total`).
  public static let sysfsNames = [
    "run", "pages_to_scan", "sleep_millisecs", "pages_shared", "pages_sharing", "pages_unshared",
    "pages_volatile", "full_scans", "general_profit",
  ]

  /// The metrics in Prometheus's text exposition format (version 0.0.4): for each metric a
  /// `# HELP` and a `# TYPE` line, then its samples; names prefixed `virthost_ksm_`, base units
  /// in the names (`_bytes`, `_seconds`), counters ending in `_total`. A metric whose value is
  /// unknown (a sysfs file missing, no cycle yet) is left out, never shown as 0.
  public var exposition: String {
    var text = ""
    func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
      guard !samples.isEmpty else { return }
      text += "# HELP virthost_ksm_\(name) \(help)\n# TYPE virthost_ksm_\(name) \(type)\n"
      for sample in samples { text += "virthost_ksm_\(name)\(sample.labels) \(sample.value)\n" }
    }
    func value(_ number: Int?) -> [(labels: String, value: String)] {
      number.map { [("", "\($0)")] } ?? []
    }
    let page = pageSize
    metric(
      "run", "gauge", "KSM's run mode (/sys/kernel/mm/ksm/run): 0 stopped, 1 merging, 2 unmerging.", value(sysfs["run"])
    )
    metric("pages_to_scan", "gauge", "Pages KSM scans per wake-up.", value(sysfs["pages_to_scan"]))
    metric(
      "sleep_seconds", "gauge", "Seconds KSM sleeps between scans (sleep_millisecs).",
      sysfs["sleep_millisecs"].map { [("", Self.decimal(thousandths: $0))] } ?? [])
    metric("pages_shared", "gauge", "Shared KSM pages in use (one copy each).", value(sysfs["pages_shared"]))
    metric("pages_sharing", "gauge", "Pages that share a KSM page: the pages saved.", value(sysfs["pages_sharing"]))
    metric("pages_unshared", "gauge", "Pages KSM checks that are unique.", value(sysfs["pages_unshared"]))
    metric("pages_volatile", "gauge", "Pages changing too fast for KSM to merge.", value(sysfs["pages_volatile"]))
    metric("full_scans_total", "counter", "Full scans of the mergeable memory since boot.", value(sysfs["full_scans"]))
    metric(
      "saved_bytes", "gauge", "Memory KSM saves: pages_sharing times the page size.",
      value(sysfs["pages_sharing"].map { $0 &* page }))
    metric(
      "profit_bytes", "gauge", "What KSM saves less its own metadata, as the kernel counts it (general_profit).",
      value(sysfs["general_profit"]))
    metric("tuner_cycles_total", "counter", "Tuning cycles the tuner ran since it started.", value(cycles))
    guard let cycle = lastCycle else { return text }
    let started = if case .start = cycle.decision.action { true } else { false }
    metric(
      "tuner_decision", "gauge", "The tuner's last decision: 1 for the action it took, 0 for the other.",
      [(#"{action="start"}"#, started ? "1" : "0"), (#"{action="stop"}"#, started ? "0" : "1")])
    metric("tuner_npages", "gauge", "The npages the tuner carries into its next cycle.", value(cycle.decision.npages))
    metric(
      "tuner_committed_bytes", "gauge", "Memory resident in KVM guests at the last cycle.",
      value(cycle.committed &* 1024))
    metric(
      "tuner_free_bytes", "gauge", "Free memory at the last cycle (MemFree + Buffers + Cached).",
      value(cycle.free &* 1024))
    metric("tuner_threshold_bytes", "gauge", "The tuner's free-memory threshold.", value(cycle.threshold &* 1024))
    metric(
      "tuner_last_cycle_timestamp_seconds", "gauge", "When the last cycle ran, seconds since the Unix epoch.",
      value(cycle.time))
    return text
  }

  /// `thousandths / 1000` as a decimal without trailing zeros (`20` → `0.02`, `1500` → `1.5`).
  static func decimal(thousandths: Int) -> String {
    let sign = thousandths < 0 ? "-" : ""
    let magnitude = thousandths.magnitude
    var fraction = String(magnitude % 1000)
    fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return sign + String(magnitude / 1000) + (fraction.isEmpty ? "" : "." + fraction)
  }
}

extension KSMMetrics {
  /// The files of ``sysfsNames`` that `sysfs` holds, with this machine's page size.
  static func read(sysfs: KSMSysfs) -> KSMMetrics {
    var values: [String: Int] = [:]
    for name in sysfsNames {
      if let value = sysfs.read(name) { values[name] = value }
    }
    return KSMMetrics(sysfs: values, pageSize: sysconf(Int32(_SC_PAGESIZE)))
  }
}
