/// What a libvirt domain definition says of its placement, read by ``DomainXML``: its
/// size, its vCPU and emulator affinity, its memory policy and backing, and who manages it.
public struct DomainDefinition: Sendable, Equatable {
  /// `name`.
  public var name: String?
  /// `vcpu`: the vCPUs at boot.
  public var vcpus: Int?
  /// `memory`, in KiB.
  public var memoryKiB: Int?
  /// `currentMemory`, in KiB.
  public var currentMemoryKiB: Int?
  /// `cputune/vcpupin`: the CPU set of each pinned vCPU, by vCPU number.
  public var vcpuPins: [Int: String] = [:]
  /// `cputune/emulatorpin@cpuset`.
  public var emulatorPin: String?
  /// `numatune/memory@mode`.
  public var memoryMode: String?
  /// `numatune/memory@nodeset`.
  public var memoryNodeset: String?
  /// Whether `memoryBacking/hugepages` is there.
  public var hugePages = false
  /// `memoryBacking/hugepages/page@size`, in KiB.
  public var hugePageSizesKiB: [Int] = []
  /// `cpu@mode`.
  public var cpuMode: String?
  /// `memtune`'s limits, in KiB, by name.
  public var limitsKiB: [String: Int] = [:]
  /// The manager that regenerates this definition from its own records (OpenStack nova, oVirt's
  /// vdsm, KubeVirt's virt-launcher), told by its `metadata`; `nil` for none known.
  public var manager: String?

  /// Creates an empty definition.
  public init() {}
}
