/// A set of CPU numbers in the kernel's list form (`0-3,8,10-11`), as sysfs writes it
/// (`/sys/devices/system/cpu/online`, `nodeN/cpulist`) and as `isolcpus=`, `nohz_full=`,
/// `CPUAffinity=` and `IRQBALANCE_BANNED_CPULIST` take it.
///
/// Kept as its runs of consecutive CPUs, ascending, never expanded: a list such as
/// `0-1000000000` costs two numbers, whatever the text claims, and is compared with the
/// online CPUs before anything walks its CPUs one by one (``cpus``). The canonical text joins
/// runs with `-`. Not a CPU mask (`ff,ffffffff`): those are hexadecimal and not read here.
public struct CPUList: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The runs of consecutive CPUs, ascending, neither overlapping nor touching.
  public private(set) var runs: [ClosedRange<Int>]

  /// The most CPUs a Linux kernel can have (`CONFIG_NR_CPUS` at its largest, 8192): a list
  /// of the host's with more is not believed, and is never walked CPU by CPU.
  public static let kernelLimit = 8192

  /// The list of `cpus` (sorted, repeats dropped).
  public init(_ cpus: some Sequence<Int>) {
    self.init(runs: Array(Set(cpus)).sorted().map { $0...$0 })
  }

  /// The list of the CPUs of `runs`, in any order, overlapping or not.
  public init(runs: [ClosedRange<Int>]) {
    var merged: [ClosedRange<Int>] = []
    for run in runs.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, last.upperBound == Int.max || run.lowerBound <= last.upperBound + 1 {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, run.upperBound)
      } else {
        merged.append(run)
      }
    }
    self.runs = merged
  }

  /// Parses `0-3,8` (spaces around items allowed, an empty text is the empty list), without
  /// expanding its ranges.
  ///
  /// - Throws: ``ConfigFileError`` naming the item, as written, that is not a number or a rising range.
  public init(parsing text: String) throws(ConfigFileError) {
    var runs: [ClosedRange<Int>] = []
    for item in text.split(separator: ",") {
      let trimmed = String(item.filter { !$0.isWhitespace })
      let bounds = trimmed.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0,
        let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low
      else {
        let written = item.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        throw ConfigFileError(message: "'\(String(written))' is not a CPU number or a range such as 2-15")
      }
      runs.append(low...high)
    }
    self.init(runs: runs)
  }

  /// The CPU numbers, ascending: every CPU of every run. Walk it only for a list known to be
  /// small (the host's own, checked against ``kernelLimit``; one checked against those).
  public var cpus: [Int] { runs.flatMap { Array($0) } }

  /// How many CPUs the list holds (at most `Int.max`).
  public var count: Int {
    runs.reduce(0) { total, run in
      let (size, overflow) = (run.upperBound - run.lowerBound).addingReportingOverflow(1)
      let (sum, past) = total.addingReportingOverflow(size)
      return overflow || past ? Int.max : sum
    }
  }

  /// Whether the list holds no CPU.
  public var isEmpty: Bool { runs.isEmpty }

  /// Whether `cpu` is in the list.
  public func contains(_ cpu: Int) -> Bool { runs.contains { $0.contains(cpu) } }

  /// The CPUs of this list that `other` lacks.
  public func subtracting(_ other: CPUList) -> CPUList {
    var result: [ClosedRange<Int>] = []
    for run in runs {
      var low = run.lowerBound
      var done = false
      for cut in other.runs where !done && cut.upperBound >= low && cut.lowerBound <= run.upperBound {
        if cut.lowerBound > low { result.append(low...(cut.lowerBound - 1)) }
        if cut.upperBound >= run.upperBound { done = true } else { low = cut.upperBound + 1 }
      }
      if !done { result.append(low...run.upperBound) }
    }
    return CPUList(runs: result)
  }

  /// `0-3,8,10-11`; `""` for the empty list.
  public var description: String {
    runs.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(
      separator: ",")
  }

  /// Encoded as its text.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// Decoded from its text.
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do { try self.init(parsing: text) } catch {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
    }
  }
}
