import HostConfig

extension HostSpec {
  /// `hugepages:`, or `nil` when absent.
  public var hugepages: HugePages? {
    get { section("hugepages") }
    set { sections["hugepages"] = newValue }
  }

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

    /// Whether a pool of a size other than the default gets a hugetlbfs mount of its own.
    public enum Mounts: String, Sendable, CaseIterable {
      /// One systemd mount unit per such size (`dev-hugepages1G.mount`): the default.
      case auto
      /// No mount of virthost's; any it wrote is removed.
      case none
    }

    /// `mounts`.
    public var mounts: Mounts = .auto

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

  /// `2M`, `1G`: how the kernel arguments (`hugepagesz=`) write a size.
  static func sizeText(kibibytes: Int) -> String {
    if kibibytes % (1024 * 1024) == 0 { return "\(kibibytes / (1024 * 1024))G" }
    if kibibytes % 1024 == 0 { return "\(kibibytes / 1024)M" }
    return "\(kibibytes)K"
  }
}

extension String {
  var trimmingBlanks: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}

extension HostSpec.HugePages: FeatureSection {}
