import HostConfig

extension HostSpec {
  /// The `hugepages:` block: persistent huge page pools, reserved at boot or at runtime.
  public struct HugePages: Sendable, Equatable {
    /// How the pools are reserved.
    public enum Mode: String, Sendable, CaseIterable {
      /// By kernel arguments: reserved before memory fragments, at the next boot.
      case boot
      /// By `vm.nr_hugepages` or per-node sysfs writes, now and at each boot.
      case runtime
    }

    /// How many pages a pool holds: one total the kernel spreads over the nodes, or a count per node.
    public enum Count: Sendable, Equatable {
      /// A total for the whole host.
      case total(Int)
      /// The pages of each node, by node number (ascending).
      case perNode([NodeCount])
    }

    /// The pages of one node.
    public struct NodeCount: Sendable, Equatable {
      /// The node number.
      public var node: Int
      /// Its pages.
      public var pages: Int
      /// The node's key as written in host.yaml (`1`, `01`): messages quote it and find its line.
      public var written: String

      /// Creates a count; `written` defaults to the node number.
      public init(node: Int, pages: Int, written: String? = nil) {
        self.node = node
        self.pages = pages
        self.written = written ?? "\(node)"
      }
    }

    /// One pool: a page size and its count.
    public struct Pool: Sendable, Equatable {
      /// The page size, in KiB (2048, 1048576).
      public var sizeKiB: Int
      /// The pages.
      public var count: Count

      /// Creates a pool.
      public init(sizeKiB: Int, count: Count) {
        self.sizeKiB = sizeKiB
        self.count = count
      }
    }

    /// The pools, in the order written (the order of the kernel arguments); empty for
    /// `hugepages: none`, which removes what virthost set.
    public var pools: [Pool] = []
    /// `default_size`: the size of `vm.nr_hugepages` and of `MAP_HUGETLB` without a size.
    public var defaultSizeKiB: Int?
    /// `mode`.
    public var mode: Mode = .boot
    /// `host_reserve`, in KiB: the memory each node keeps for the host; `nil` for the rule
    /// of 10 % of the node and no less than 1 GiB.
    public var hostReserveKiB: Int?

    /// Whether the pools were written as `pools:` (positions of problems point there).
    public var writtenAsPools = false

    /// Creates a block.
    public init(pools: [Pool] = [], defaultSizeKiB: Int? = nil, mode: Mode = .boot, hostReserveKiB: Int? = nil) {
      self.pools = pools
      self.defaultSizeKiB = defaultSizeKiB
      self.mode = mode
      self.hostReserveKiB = hostReserveKiB
    }

    /// Whether this is `hugepages: none`.
    public var isNone: Bool { pools.isEmpty }
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

  /// `2M`, `1G`: how the kernel arguments (`hugepagesz=`) write a size.
  static func sizeText(kibibytes: Int) -> String {
    if kibibytes % (1024 * 1024) == 0 { return "\(kibibytes / (1024 * 1024))G" }
    if kibibytes % 1024 == 0 { return "\(kibibytes / 1024)M" }
    return "\(kibibytes)K"
  }
}

extension String {
  fileprivate var trimmingBlanks: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
