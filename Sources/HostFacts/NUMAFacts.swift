import HostConfig
import RootFS

/// One NUMA node: its CPUs, memory and huge page pools.
public struct NUMANode: Sendable, Codable, Equatable {
  /// The node number (`node1` → 1).
  public var id: Int
  /// The CPUs of the node (`nodeN/cpulist`).
  public var cpus: CPUList
  /// `Node N MemTotal`, in KiB (`nodeN/meminfo`); `nil` when the file does not say.
  public var memTotalKiB: Int?
  /// `Node N MemFree`, in KiB.
  public var memFreeKiB: Int?
  /// The node's huge page pools, one per size (`nodeN/hugepages`).
  public var hugePages: [HugePagePool]

  /// Creates a node.
  public init(id: Int, cpus: CPUList, memTotalKiB: Int?, memFreeKiB: Int?, hugePages: [HugePagePool]) {
    self.id = id
    self.cpus = cpus
    self.memTotalKiB = memTotalKiB
    self.memFreeKiB = memFreeKiB
    self.hugePages = hugePages
  }

  private enum CodingKeys: String, CodingKey {
    case id, cpus
    case memTotalKiB = "mem_total_kib"
    case memFreeKiB = "mem_free_kib"
    case hugePages = "huge_pages"
  }

  /// The pool of `sizeKiB` pages on this node, when the kernel has one.
  public func pool(sizeKiB: Int) -> HugePagePool? { hugePages.first { $0.sizeKiB == sizeKiB } }
}

/// The NUMA nodes of `/sys/devices/system/node`, each with its CPUs, memory and huge page
/// pools. A host without that folder (a kernel without NUMA) has the facts unknown.
public struct NUMAFacts: Sendable, Codable, Equatable {
  /// The nodes, by number.
  public var nodes: Fact<[NUMANode]>

  static let folder = "/sys/devices/system/node"
  static let source = "/sys/devices/system/node/node*/{cpulist,meminfo,hugepages}"

  /// Reads the nodes under `root`.
  public init(root: HostRoot) {
    switch root.factEntries(Self.folder) {
    case .failure(let error):
      nodes = .unknown(error.factReason, source: Self.source)
    case .success(let names):
      var result: [NUMANode] = []
      for name in names where name.count > 4 && name.hasPrefix("node") && name.dropFirst(4).allSatisfy(\.isNumber) {
        guard let id = Int(name.dropFirst(4)) else { continue }
        let folder = "\(Self.folder)/\(name)"
        let cpus = (try? root.value("\(folder)/cpulist")).flatMap { try? CPUList(parsing: $0) } ?? CPUList([])
        let meminfo = (try? root.text("\(folder)/meminfo")).flatMap { $0 }.map(Self.parseMeminfo) ?? [:]
        let pools = (try? HugePagePool.read(root, in: "\(folder)/hugepages").get()) ?? []
        result.append(
          NUMANode(
            id: id, cpus: cpus, memTotalKiB: meminfo["MemTotal"], memFreeKiB: meminfo["MemFree"], hugePages: pools))
      }
      nodes = .known(result.sorted { $0.id < $1.id }, source: Self.source)
    }
  }

  /// The `Node N Name: value kB` lines of a node's `meminfo`, as numbers: `/proc/meminfo`'s
  /// form once the `Node N` before each name is dropped.
  static func parseMeminfo(_ text: String) -> [String: Int] {
    let lines = text.split(separator: "\n").map { line in
      line.hasPrefix("Node ") ? line.split(separator: " ", maxSplits: 2).dropFirst(2).joined() : String(line)
    }
    return MemoryFacts.parseMeminfo(lines.joined(separator: "\n"))
  }

}
