import HostConfig

extension HostSpec {
  /// `cpu:`, or `nil` when absent.
  public var cpu: CPU? {
    get { section("cpu") }
    set { sections["cpu"] = newValue }
  }

  /// The `cpu:` block.
  public struct CPU: Sendable, Equatable {
    /// `isolated`: the CPUs kept for pinned guests; `nil` for `isolated: none`, which
    /// removes what virthost set.
    public var isolated: CPUList?

    /// Creates a block.
    public init(isolated: CPUList?) {
      self.isolated = isolated
    }
  }

  /// What an amount of memory (`2M`, `1G`, `2048K`, `512MiB`) written in the desired state is.
  enum Amount: Equatable {
    /// Its KiB.
    case kibibytes(Int)
    /// Not an amount: a plain number (the unit is never guessed), no number, an unknown unit.
    case invalid
    /// An amount whose bytes do not fit in 63 bits (8 EiB), far beyond any machine's memory.
    case tooLarge
  }

  /// The largest amount of memory, in KiB, that virthost counts: its bytes fit in an `Int`.
  static let largestKiB = Int.max / 1024

  /// `2M`, `1G`, `2048K`, `512MiB` in KiB, with checked arithmetic.
  static func amount(_ text: String) -> Amount {
    var digits = Substring(text.trimmingBlanks)
    for suffix in ["iB", "B"] where digits.hasSuffix(suffix) { digits = digits.dropLast(suffix.count) }
    guard let unit = digits.last?.uppercased(), ["K", "M", "G", "T"].contains(unit) else { return .invalid }
    let number = digits.dropLast()
    guard let value = Int(number) else {
      let unsigned = number.hasPrefix("+") ? number.dropFirst() : number
      return !unsigned.isEmpty && unsigned.allSatisfy({ $0.isASCII && $0.isNumber }) ? .tooLarge : .invalid
    }
    guard value > 0 else { return .invalid }
    let factor = ["K": 1, "M": 1024, "G": 1024 * 1024, "T": 1024 * 1024 * 1024][unit] ?? 1
    let (kib, overflow) = value.multipliedReportingOverflow(by: factor)
    return overflow || kib > largestKiB ? .tooLarge : .kibibytes(kib)
  }

  /// `2M`, `1G`, `2048K`, `512MiB` in KiB; `nil` for anything else (a plain number
  /// is refused: the unit is never guessed) and for an amount too large to count.
  static func kibibytes(_ text: String) -> Int? {
    if case .kibibytes(let kib) = amount(text) { return kib }
    return nil
  }
}

extension HostSpec.CPU: FeatureSection {}
