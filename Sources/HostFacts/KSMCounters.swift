import RootFS

/// The KSM counters and settings newer kernels add to `/sys/kernel/mm/ksm` beyond those
/// ``KSMFacts`` reads: `general_profit` (6.1), `ksm_zero_pages` (6.7), the scan advisor (6.8) and
/// the rest. Only those the kernel has are listed: an older kernel's host shows none, not
/// unknowns.
public struct KSMCounters: Sendable, Codable, Equatable {
  /// The numeric files virthost knows, in the order it shows them.
  public static let names = [
    "general_profit", "ksm_zero_pages", "use_zero_pages", "pages_scanned", "pages_skipped", "max_page_sharing",
    "stable_node_chains", "stable_node_dups", "stable_node_chains_prune_millisecs", "smart_scan",
    "advisor_max_cpu", "advisor_min_pages_to_scan", "advisor_max_pages_to_scan", "advisor_target_scan_time",
  ]

  /// Each of ``names`` present in the folder, by name; a file that holds no number is unknown.
  public var counters: [String: Fact<Int>]
  /// `advisor_mode`: the selected mode of `[none] scan-time`, when the file exists.
  public var advisorMode: Fact<String>?
  /// What KSM saves, in bytes, as the kernel counts it (`general_profit`: merged pages minus
  /// KSM's own metadata; may be negative), when the kernel has it.
  public var profitBytes: Fact<Int>?

  private enum CodingKeys: String, CodingKey {
    case counters
    case advisorMode = "advisor_mode"
    case profitBytes = "profit_bytes"
  }

  static let folder = "/sys/kernel/mm/ksm"

  init(_ root: HostRoot) {
    let present = Set(root.listIfPresent(Self.folder))
    var counters: [String: Fact<Int>] = [:]
    for name in Self.names where present.contains(name) {
      let path = "\(Self.folder)/\(name)"
      let raw = root.valueFact(path)
      counters[name] =
        raw.value.map { text in
          Int(text).map { .known($0, source: path) }
            ?? .unknown("\(path) holds \"\(text)\", not a number", source: path)
        } ?? .unknown(raw.unknown ?? "", source: path)
    }
    self.counters = counters
    profitBytes = counters["general_profit"]
    if present.contains("advisor_mode") {
      let path = "\(Self.folder)/advisor_mode"
      let raw = root.valueFact(path)
      advisorMode =
        raw.value.map { text in
          guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else {
            return .unknown("\(path) holds \"\(text)\", no [selected] mode", source: path)
          }
          return .known(String(text[text.index(after: open)..<close]), source: path)
        } ?? .unknown(raw.unknown ?? "", source: path)
    }
  }
}
