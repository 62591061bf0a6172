import RootFS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Memory as `/proc/meminfo` counts it, the page size, and automatic NUMA balancing.
public struct MemoryFacts: Sendable, Codable, Equatable {
  /// `MemTotal`, in KiB (meminfo's `kB`).
  public var totalKiB: Fact<Int>
  /// `MemFree + Buffers + Cached`, in KiB: free memory as ksmtuned counts it.
  public var freeKiB: Fact<Int>
  /// `HugePages_Total`: persistent huge pages in the pool.
  public var hugePagesTotal: Fact<Int>
  /// `HugePages_Free`: huge pages not yet allocated.
  public var hugePagesFree: Fact<Int>
  /// `HugePages_Rsvd`: huge pages promised but not yet allocated.
  public var hugePagesReserved: Fact<Int>
  /// `HugePages_Surp`: huge pages above the persistent pool.
  public var hugePagesSurplus: Fact<Int>
  /// `Hugepagesize`, in KiB.
  public var hugePageSizeKiB: Fact<Int>
  /// The base page size in bytes: `sysconf(_SC_PAGESIZE)` on the live `/`; under another
  /// root, 4096 when `/proc/cpuinfo` shows an x86 processor (x86 base pages are always
  /// 4 KiB), unknown otherwise.
  public var pageSizeBytes: Fact<Int>
  /// `kernel.numa_balancing` (`/proc/sys/kernel/numa_balancing`): 0 off, 1 on (kernel 3.8 and later).
  public var numaBalancing: Fact<Int>

  private enum CodingKeys: String, CodingKey {
    case totalKiB = "total_kib"
    case freeKiB = "free_kib"
    case hugePagesTotal = "huge_pages_total"
    case hugePagesFree = "huge_pages_free"
    case hugePagesReserved = "huge_pages_rsvd"
    case hugePagesSurplus = "huge_pages_surp"
    case hugePageSizeKiB = "huge_page_size_kib"
    case pageSizeBytes = "page_size_bytes"
    case numaBalancing = "numa_balancing"
  }

  static let meminfo = "/proc/meminfo"
  static let numaBalancingPath = "/proc/sys/kernel/numa_balancing"

  /// Reads memory under `root`; `cpu` tells the page size outside the live root.
  public init(_ root: HostRoot, cpu: CPUFacts) {
    let fields: [String: Int]
    let problem: String?
    switch root.factText(Self.meminfo) {
    case .failure(let error):
      fields = [:]
      problem = error.factReason
    case .success(let text):
      fields = Self.parseMeminfo(text)
      problem = nil
    }
    func field(_ names: String...) -> Fact<Int> {
      let source = names.count == 1 ? Self.meminfo : "\(Self.meminfo): \(names.joined(separator: " + "))"
      if let problem { return .unknown(problem, source: source) }
      var sum = 0
      for name in names {
        guard let value = fields[name] else { return .unknown("\(Self.meminfo) has no \(name) line", source: source) }
        let (total, overflow) = sum.addingReportingOverflow(value)
        guard !overflow else {
          return .unknown("\(names.joined(separator: " + ")) do not fit in a count", source: source)
        }
        sum = total
      }
      return .known(sum, source: source)
    }
    totalKiB = field("MemTotal")
    freeKiB = field("MemFree", "Buffers", "Cached")
    hugePagesTotal = field("HugePages_Total")
    hugePagesFree = field("HugePages_Free")
    hugePagesReserved = field("HugePages_Rsvd")
    hugePagesSurplus = field("HugePages_Surp")
    hugePageSizeKiB = field("Hugepagesize")
    pageSizeBytes = Self.pageSize(root, cpu: cpu)
    switch root.factValue(Self.numaBalancingPath) {
    case .failure(let error): numaBalancing = .unknown(error.factReason, source: Self.numaBalancingPath)
    case .success(let text):
      numaBalancing =
        Int(text).map { .known($0, source: Self.numaBalancingPath) }
        ?? .unknown("\(Self.numaBalancingPath) holds \"\(text)\", not a number", source: Self.numaBalancingPath)
    }
  }

  /// The `Name: value [kB]` lines of `/proc/meminfo`, as numbers.
  static func parseMeminfo(_ text: String) -> [String: Int] {
    var fields: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let number = line[line.index(after: colon)...].split(separator: " ").first.flatMap { Int($0) }
      if let number { fields[String(line[..<colon])] = number }
    }
    return fields
  }

  private static func pageSize(_ root: HostRoot, cpu: CPUFacts) -> Fact<Int> {
    if root.isLive {
      return .known(Int(sysconf(Int32(_SC_PAGESIZE))), source: "sysconf(_SC_PAGESIZE)")
    }
    let source = "\(CPUFacts.cpuinfo) (x86 base pages are 4 KiB)"
    guard let vendor = cpu.vendor.value else { return .unknown(cpu.vendor.unknown ?? "", source: source) }
    guard vendor != .unknown else {
      return .unknown("the page size of this processor is not known outside the live /", source: source)
    }
    return .known(4096, source: source)
  }
}
