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

      /// Creates a count.
      public init(node: Int, pages: Int) {
        self.node = node
        self.pages = pages
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

  /// `2M`, `1G`, `2048K`, `512MiB` in KiB; `nil` for anything else (a plain number
  /// is refused: the unit is never guessed).
  static func kibibytes(_ text: String) -> Int? {
    var digits = Substring(text.trimmingBlanks)
    for suffix in ["iB", "B"] where digits.hasSuffix(suffix) { digits = digits.dropLast(suffix.count) }
    guard let unit = digits.last?.uppercased(), let number = Int(digits.dropLast()), number > 0 else { return nil }
    switch unit {
    case "K": return number
    case "M": return number * 1024
    case "G": return number * 1024 * 1024
    case "T": return number * 1024 * 1024 * 1024
    default: return nil
    }
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
