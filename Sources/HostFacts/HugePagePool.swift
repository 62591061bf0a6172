import HostConfig
import RootFS

/// One pool of persistent huge pages of one size, globally
/// (`/sys/kernel/mm/hugepages/hugepages-<kB>kB`) or on one NUMA node
/// (`/sys/devices/system/node/nodeN/hugepages/hugepages-<kB>kB`).
public struct HugePagePool: Sendable, Codable, Equatable {
  /// The page size, in KiB (2048 for 2 MiB, 1048576 for 1 GiB).
  public var sizeKiB: Int
  /// `nr_hugepages`: the pages in the pool.
  public var total: Int
  /// `free_hugepages`: the pages not in use.
  public var free: Int
  /// `surplus_hugepages`: pages above the pool, made on demand (`nr_overcommit_hugepages`).
  public var surplus: Int

  /// Creates a pool.
  public init(sizeKiB: Int, total: Int, free: Int, surplus: Int) {
    self.sizeKiB = sizeKiB
    self.total = total
    self.free = free
    self.surplus = surplus
  }

  private enum CodingKeys: String, CodingKey {
    case sizeKiB = "size_kib"
    case total, free, surplus
  }

  /// The folder name of a pool of `sizeKiB` (`hugepages-2048kB`).
  public static func folder(sizeKiB: Int) -> String { "hugepages-\(sizeKiB)kB" }

  /// The pools in `folder` (one `hugepages-<kB>kB` folder per size), smallest size first.
  static func read(_ root: HostRoot, in folder: String) -> Result<[HugePagePool], HostRootError> {
    let names: [String]
    switch root.factEntries(folder) {
    case .failure(let error): return .failure(error)
    case .success(let found): names = found
    }
    var pools: [HugePagePool] = []
    for name in names where name.hasPrefix("hugepages-") && name.hasSuffix("kB") {
      guard let size = Int(name.dropFirst("hugepages-".count).dropLast(2)) else { continue }
      func count(_ file: String) -> Int { (try? root.value("\(folder)/\(name)/\(file)")).flatMap { Int($0) } ?? 0 }
      pools.append(
        HugePagePool(
          sizeKiB: size, total: count("nr_hugepages"), free: count("free_hugepages"),
          surplus: count("surplus_hugepages")))
    }
    return .success(pools.sorted { $0.sizeKiB < $1.sizeKiB })
  }
}
