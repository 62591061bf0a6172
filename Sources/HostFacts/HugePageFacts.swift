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
  /// The hugetlbfs mounts of `/proc/mounts`, in its order: where libvirt's QEMU driver finds a
  /// mount for each page size when its daemon starts.
  public var mounts: Fact<[HugetlbfsMount.Entry]>

  private enum CodingKeys: String, CodingKey {
    case pools, gigantic, mounts
    case transparentMode = "transparent_mode"
  }

  static let procMounts = "/proc/mounts"

  /// Decodes facts, those saved before `mounts` existed included (then unknown).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    pools = try container.decode(Fact<[HugePagePool]>.self, forKey: .pools)
    gigantic = try container.decode(Fact<Bool>.self, forKey: .gigantic)
    transparentMode = try container.decode(Fact<String>.self, forKey: .transparentMode)
    mounts =
      try container.decodeIfPresent(Fact<[HugetlbfsMount.Entry]>.self, forKey: .mounts)
      ?? .unknown("not in these saved facts", source: Self.procMounts)
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
    switch root.factText(Self.procMounts) {
    case .failure(let error): mounts = .unknown(error.factReason, source: Self.procMounts)
    case .success(let text):
      mounts = .known(HugetlbfsMount.entries(text).filter { $0.type == "hugetlbfs" }, source: Self.procMounts)
    }
    switch root.factValue(Self.transparent) {
    case .failure(let error): transparentMode = .unknown(error.factReason, source: Self.transparent)
    case .success(let text):
      let chosen = text.split(separator: " ").first { $0.hasPrefix("[") && $0.hasSuffix("]") }
      transparentMode =
        chosen.map { .known(String($0.dropFirst().dropLast()), source: Self.transparent) }
        ?? .unknown("\(Self.transparent) marks no mode in brackets", source: Self.transparent)
    }
  }

  /// `hugetlbfs mounts`, on a host with huge pages reserved: a mount for each reserved size,
  /// usable by the QEMU user (its root open to others, or given to a group that may enter it;
  /// libvirt makes each guest's folder inside). A size without one warns: libvirt cannot back
  /// guests with those pages (`virFileFindHugeTLBFS` lists only mounts).
  public var mountsCheck: ReadinessCheck? {
    let name = "hugetlbfs mounts"
    let reserved = (pools.value ?? []).filter { $0.total > 0 }.map(\.sizeKiB)
    guard !reserved.isEmpty else { return nil }
    guard let mounts = mounts.value else { return ReadinessCheck.cannotTell(name, self.mounts) }
    var found: [String] = []
    var problems: [String] = []
    for size in reserved {
      let mount = HugetlbfsMount(sizeKiB: size)
      guard let entry = mounts.first(where: { $0.pageSizeKiB == size }) else {
        problems.append("no hugetlbfs mount of \(mount.sizeText) pages")
        continue
      }
      let usable = entry.mode & 0o001 != 0 || (entry.value("gid") != nil && entry.mode & 0o010 != 0)
      if usable {
        found.append("\(mount.sizeText) at \(entry.path)")
      } else {
        problems.append(
          "\(entry.path) (\(mount.sizeText)) is mode \(String(entry.mode, radix: 8)), root's: the QEMU user cannot enter it"
        )
      }
    }
    guard problems.isEmpty else {
      return ReadinessCheck(
        name: name, level: .warn, message: problems.joined(separator: "; ") + " (\(Self.procMounts))",
        hint: "hugepages.mounts: auto mounts each reserved size (dev-hugepages1G.mount) before libvirt starts")
    }
    return ReadinessCheck(name: name, level: .pass, message: found.joined(separator: ", "))
  }

  /// The page sizes (KiB) this host can reserve: the kernel's pools, and 1 GiB when the CPU
  /// has `pdpe1gb` (the kernel shows that pool only once it is supported).
  public var supportedSizesKiB: [Int] {
    var sizes = Set((pools.value ?? []).map(\.sizeKiB))
    if gigantic.value == true { sizes.insert(1_048_576) }
    return sizes.sorted()
  }
}
