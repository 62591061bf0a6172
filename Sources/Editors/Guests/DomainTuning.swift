/// The elements of a libvirt domain definition that virthost owns, as values: what
/// ``DomainXML/edited(_:)`` writes. A `nil` (or empty) field leaves its element as it is.
///
/// Not a domain definition: every element not named here stays byte for byte.
public struct DomainTuning: Sendable, Equatable {
  /// One `memtune` limit: `hard_limit`, `soft_limit`, `swap_hard_limit`, `min_guarantee`.
  public struct Limit: Sendable, Equatable {
    /// The element's name.
    public var name: String
    /// The limit, in KiB.
    public var kibibytes: Int

    /// Creates a limit.
    public init(name: String, kibibytes: Int) {
      self.name = name
      self.kibibytes = kibibytes
    }
  }

  /// `cputune/vcpupin`: the host CPU set of each vCPU, by vCPU number (index).
  public var vcpuPins: [String]?
  /// `cputune/emulatorpin@cpuset`.
  public var emulatorPin: String?
  /// `numatune/memory@nodeset`.
  public var memoryNodeset: String?
  /// `numatune/memory@mode` (`strict`, `preferred`, `interleave`, `restrictive`).
  public var memoryMode: String?
  /// `memoryBacking/hugepages/page@size`, in KiB.
  public var hugePageSizeKiB: Int?
  /// `cpu@mode`.
  public var cpuMode: String?
  /// `memtune`'s limits, in libvirt's order.
  public var limits: [Limit] = []
  /// `currentMemory`: the balloon's size, in KiB.
  public var currentMemoryKiB: Int?

  /// Creates a tuning that changes nothing.
  public init() {}

  /// The names of `memtune`'s limits, in the order libvirt writes them.
  public static let limitNames = ["hard_limit", "soft_limit", "swap_hard_limit", "min_guarantee"]
}
