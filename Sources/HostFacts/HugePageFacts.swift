import HostConfig
import RootFS

/// The host's huge page pools (`/sys/kernel/mm/hugepages`), whether the CPU can back 1 GiB
/// pages, and the transparent huge pages mode.
public struct HugePageFacts: Sendable, Codable, Equatable {
  /// The global pools, one per size the kernel supports, smallest first.
  public var pools: Fact<[HugePagePool]>
  /// Whether the CPU has 1 GiB pages: the `pdpe1gb` flag (x86). Unknown without a flags line.
  public var gigantic: Fact<Bool>
  /// `/sys/kernel/mm/transparent_hugepage/enabled`: the mode in brackets (`always`, `madvise`, `never`).
  public var transparentMode: Fact<String>

  private enum CodingKeys: String, CodingKey {
    case pools, gigantic
    case transparentMode = "transparent_mode"
  }

  static let folder = "/sys/kernel/mm/hugepages"
  static let transparent = "/sys/kernel/mm/transparent_hugepage/enabled"

  /// Reads the pools under `root`; `cpu` gives the flags.
  public init(root: HostRoot, cpu: CPUFacts) {
    switch HugePagePool.read(root, in: Self.folder) {
    case .failure(let error): pools = .unknown(error.factReason, source: Self.folder)
    case .success(let found): pools = .known(found, source: Self.folder)
    }
    gigantic = cpu.flags.map { $0.contains("pdpe1gb") }
    gigantic.source = "\(CPUFacts.cpuinfo) (pdpe1gb)"
    switch root.factValue(Self.transparent) {
    case .failure(let error): transparentMode = .unknown(error.factReason, source: Self.transparent)
    case .success(let text):
      let chosen = text.split(separator: " ").first { $0.hasPrefix("[") && $0.hasSuffix("]") }
      transparentMode =
        chosen.map { .known(String($0.dropFirst().dropLast()), source: Self.transparent) }
        ?? .unknown("\(Self.transparent) marks no mode in brackets", source: Self.transparent)
    }
  }

  /// The page sizes (KiB) this host can reserve: the kernel's pools, and 1 GiB when the CPU
  /// has `pdpe1gb` (the kernel shows that pool only once it is supported).
  public var supportedSizesKiB: [Int] {
    var sizes = Set((pools.value ?? []).map(\.sizeKiB))
    if gigantic.value == true { sizes.insert(1_048_576) }
    return sizes.sorted()
  }
}
