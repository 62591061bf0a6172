/// One libvirt domain's placement as its definition (`/etc/libvirt/qemu/NAME.xml`) says it,
/// judged against the host's isolated CPUs, NUMA nodes and huge page pools: part of
/// `virthost facts` (docs/facts.md, key `guests`). What a running guest does is not read here.
public struct DomainPlacement: Sendable, Codable, Equatable {
  /// The domain's name.
  public var name: String
  /// The definition, from the root.
  public var file: String
  /// Why the definition cannot be read (file, line, what is wrong); the other fields are then empty.
  public var error: String?
  /// `vcpu`: the vCPUs at boot.
  public var vcpus: Int?
  /// `memory`, in KiB.
  public var memoryKiB: Int?
  /// The CPU set of each vCPU (`cputune/vcpupin`), by vCPU, `nil` for one not pinned.
  public var vcpuAffinity: [String?] = []
  /// `cputune/emulatorpin`, when set.
  public var emulator: String?
  /// `numatune/memory@nodeset`, when set.
  public var memoryNodes: String?
  /// `numatune/memory@mode`, when set.
  public var memoryMode: String?
  /// The huge page sizes backing the guest (`memoryBacking/hugepages/page`), in KiB; `[0]`
  /// for the default size, empty for normal pages.
  public var hugePageSizesKiB: [Int] = []
  /// `cpu@mode`, when set.
  public var cpuMode: String?
  /// The manager that regenerates the definition (OpenStack nova, oVirt, KubeVirt), when one does.
  public var manager: String?
  /// What does not fit the host, one sentence each: a vCPU on housekeeping CPUs, memory
  /// from another node than the vCPUs, a pool too small for the backing.
  public var findings: [String] = []

  /// A placement of `name` read from `file`.
  public init(name: String, file: String) {
    self.name = name
    self.file = file
  }

  private enum CodingKeys: String, CodingKey {
    case name, file, error, vcpus, emulator, manager, findings
    case memoryKiB = "memory_kib"
    case vcpuAffinity = "vcpu_affinity"
    case memoryNodes = "memory_nodes"
    case memoryMode = "memory_mode"
    case hugePageSizesKiB = "huge_page_sizes_kib"
    case cpuMode = "cpu_mode"
  }
}
