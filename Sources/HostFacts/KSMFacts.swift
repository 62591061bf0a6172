import RootFS

/// Kernel Samepage Merging as `/sys/kernel/mm/ksm` shows it: whether it runs, how hard
/// it scans, and how much memory it saves.
public struct KSMFacts: Sendable, Codable, Equatable {
  /// `run`: 0 stopped, 1 running, 2 unmerging (stopped, and un-merging every shared page).
  public var run: Fact<Int>
  /// `run` in words: `stopped`, `running`, `unmerging`, or `unknown value N`.
  public var runMeaning: Fact<String>
  /// `pages_shared`: how many shared pages are in use.
  public var pagesShared: Fact<Int>
  /// `pages_sharing`: how many more places share them, that is how many pages are saved.
  public var pagesSharing: Fact<Int>
  /// `pages_unshared`: pages unique but checked again and again for merging.
  public var pagesUnshared: Fact<Int>
  /// `pages_volatile`: pages that change too fast to be merged.
  public var pagesVolatile: Fact<Int>
  /// `pages_to_scan`: pages scanned before KSM sleeps.
  public var pagesToScan: Fact<Int>
  /// `sleep_millisecs`: the sleep between two scans.
  public var sleepMillisecs: Fact<Int>
  /// `full_scans`: how many times all mergeable memory has been scanned.
  public var fullScans: Fact<Int>
  /// `merge_across_nodes`: 1 when pages of different NUMA nodes may be merged (kernel 3.9 and later).
  public var mergeAcrossNodes: Fact<Int>
  /// The memory KSM saves, in bytes: `pages_sharing` × the page size.
  public var savedBytes: Fact<Int>

  private enum CodingKeys: String, CodingKey {
    case run
    case runMeaning = "run_meaning"
    case pagesShared = "pages_shared"
    case pagesSharing = "pages_sharing"
    case pagesUnshared = "pages_unshared"
    case pagesVolatile = "pages_volatile"
    case pagesToScan = "pages_to_scan"
    case sleepMillisecs = "sleep_millisecs"
    case fullScans = "full_scans"
    case mergeAcrossNodes = "merge_across_nodes"
    case savedBytes = "saved_bytes"
  }

  static let folder = "/sys/kernel/mm/ksm"

  init(_ root: HostRoot, pageSize: Fact<Int>) {
    func number(_ name: String) -> Fact<Int> {
      let path = "\(Self.folder)/\(name)"
      switch root.factValue(path) {
      case .failure(let problem): return .unknown(problem.factReason, source: path)
      case .success(let text):
        guard let value = Int(text) else { return .unknown("\(path) holds \"\(text)\", not a number", source: path) }
        return .known(value, source: path)
      }
    }
    run = number("run")
    runMeaning = run.map(Self.meaning(ofRun:))
    pagesShared = number("pages_shared")
    pagesSharing = number("pages_sharing")
    pagesUnshared = number("pages_unshared")
    pagesVolatile = number("pages_volatile")
    pagesToScan = number("pages_to_scan")
    sleepMillisecs = number("sleep_millisecs")
    fullScans = number("full_scans")
    mergeAcrossNodes = number("merge_across_nodes")
    let source = "\(pagesSharing.source) × page size"
    if let pages = pagesSharing.value, let size = pageSize.value {
      let (bytes, overflow) = pages.multipliedReportingOverflow(by: size)
      savedBytes =
        overflow
        ? .unknown("\(pages) pages of \(size) bytes do not fit in a count of bytes", source: source)
        : .known(bytes, source: source)
    } else {
      savedBytes = .unknown(pagesSharing.unknown ?? pageSize.unknown ?? "", source: source)
    }
  }

  /// The meaning of a value of `run`.
  public static func meaning(ofRun run: Int) -> String {
    switch run {
    case 0: "stopped"
    case 1: "running"
    case 2: "unmerging"
    default: "unknown value \(run)"
    }
  }
}
