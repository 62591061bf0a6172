/// One libvirt domain's placement as its definition (`/etc/libvirt/qemu/NAME.xml`) says it,
/// judged against the host's isolated CPUs, NUMA nodes and huge page pools: part of
/// `virthost facts` (docs/facts.md, key `guests`). On the live host, read through libvirt's API
/// with what a running guest does.
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
  /// from another node than the vCPUs, a pool too small for the backing; for a running guest
  /// also where it runs off its definition or off the host's isolation (`running: …`).
  public var findings: [String] = []
  /// The libvirt the domain was read through (`qemu:///system`), `nil` when read from its file.
  public var libvirtURI: String?
  /// Whether the guest runs: `nil` when not known (read from its file).
  public var running: Bool?
  /// A running guest's live CPU set of each vCPU (`virDomainGetVcpuPinInfo`, live).
  public var liveVcpuAffinity: [String]?
  /// A running guest's live emulator CPU set (`virDomainGetEmulatorPinInfo`, live).
  public var liveEmulator: String?

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
    case libvirtURI = "libvirt_uri"
    case running
    case liveVcpuAffinity = "live_vcpu_affinity"
    case liveEmulator = "live_emulator"
  }
}
