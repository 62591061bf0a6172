import HostConfig
import Yams

extension SpecParser {
  static let hugepagesKeys = ["size", "count", "pools", "default_size", "mode", "host_reserve", "mounts"]
  static let poolKeys = ["size", "count"]
}

extension SpecParser.Reader {
  /// `hugepages: none`, or a block with `size` and `count` (one pool) or `pools` (several, in order).
  mutating func hugepages(_ node: Node) -> HostSpec.HugePages? {
    if node.scalar?.string == "none" { return HostSpec.HugePages() }
    var result = HostSpec.HugePages()
    var size: Int?
    var count: HostSpec.HugePages.Count?
    var countNode: Node?
    var sawPools = false
    var emptyPools: Node?
    var written: Set<String> = []
    var first: Node?
    for (key, keyNode, value) in entries(node, "hugepages", known: SpecParser.hugepagesKeys) {
      let path = "hugepages.\(key)"
      first = first ?? keyNode
      written.insert(key)
      switch key {
      case "size": size = self.size(value, path)
      case "count":
        count = self.count(value, path)
        countNode = value
      case "default_size": result.defaultSizeKiB = self.size(value, path)
      case "mode": result.mode = choice(value, path, HostSpec.HugePages.Mode.self) ?? .boot
      case "mounts": result.mounts = choice(value, path, HostSpec.HugePages.Mounts.self) ?? .auto
      case "host_reserve":
        guard let text = scalar(value, path) else { continue }
        switch HostSpec.amount(text) {
        case .kibibytes(let amount): result.hostReserveKiB = amount
        case .invalid: error(value, path, "must be an amount of memory such as 2G or 512M, not \"\(text)\"")
        case .tooLarge: error(value, path, Self.tooLarge(text))
        }
      default:
        sawPools = true
        result.writtenAsPools = true
        guard let items = value.sequence else {
          error(value, path, "must be a list of {size, count} pools")
          continue
        }
        if items.isEmpty { emptyPools = value }
        for item in items {
          var poolSize: Int?
          var poolCount: HostSpec.HugePages.Count?
          var poolCountNode = item
          for (poolKey, _, poolValue) in entries(item, path, known: SpecParser.poolKeys) {
            if poolKey == "size" {
              poolSize = self.size(poolValue, "\(path).size")
            } else {
              poolCount = self.count(poolValue, "\(path).count")
              poolCountNode = poolValue
            }
          }
          if let poolSize, let poolCount {
            let pool = HostSpec.HugePages.Pool(sizeKiB: poolSize, count: poolCount)
            if fits(pool, poolCountNode, "\(path).count") { result.pools.append(pool) }
          } else if item.mapping != nil {
            error(item, path, "a pool needs both size and count")
          }
        }
      }
    }
    let single = written.intersection(["size", "count"])
    if let emptyPools, single.isEmpty {
      error(
        emptyPools, "hugepages.pools", "must list at least one pool; to reserve no huge page, write hugepages: none")
    }
    if sawPools, !single.isEmpty {
      error(first ?? node, "hugepages", "give either size and count or pools, not both")
    } else if !sawPools {
      if let size, let count {
        let pool = HostSpec.HugePages.Pool(sizeKiB: size, count: count)
        if fits(pool, countNode ?? node, "hugepages.count") { result.pools = [pool] }
      } else if node.mapping != nil, single.count == 1 {
        error(first ?? node, "hugepages", "needs both size and count (or pools)")
      } else if node.mapping != nil, single.isEmpty {
        error(node, "hugepages", "needs size and count, pools, or the value none")
      }
    }
    var seen: Set<Int> = []
    for pool in result.pools where !seen.insert(pool.sizeKiB).inserted {
      error(node, "hugepages", "the size \(HostSpec.sizeText(kibibytes: pool.sizeKiB)) is given twice")
    }
    return result
  }

  /// Whether every count of `pool` times its page size fits in 63 bits of bytes, so that
  /// no later sum or product of it overflows unchecked; an error at `node` otherwise.
  private mutating func fits(_ pool: HostSpec.HugePages.Pool, _ node: Node, _ path: String) -> Bool {
    let counts: [Int] =
      switch pool.count {
      case .total(let pages): [pages]
      case .perNode(let nodes): nodes.map(\.pages)
      }
    for pages in counts {
      let (kib, overflow) = pages.multipliedReportingOverflow(by: pool.sizeKiB)
      guard overflow || kib > HostSpec.largestKiB else { continue }
      error(
        node, path,
        "\(counted(pages, "page")) of \(HostSpec.sizeText(kibibytes: pool.sizeKiB)) are more memory than virthost can count "
          + "(at most 8 EiB)")
      return false
    }
    return true
  }

  /// A page size: `2M`, `1G`.
  mutating func size(_ node: Node, _ path: String) -> Int? {
    guard let text = scalar(node, path) else { return nil }
    switch HostSpec.amount(text) {
    case .kibibytes(let kib): return kib
    case .invalid: error(node, path, "must be a page size such as 2M or 1G, not \"\(text)\"")
    case .tooLarge: error(node, path, Self.tooLarge(text))
    }
    return nil
  }

  /// The words for an amount of memory or pages whose bytes do not fit in 63 bits.
  static func tooLarge(_ text: String) -> String {
    "\"\(text)\" is more memory than virthost can count (at most 8 EiB)"
  }

  /// A total (`512`) or a count per node (`{0: 8, 1: 8}`).
  mutating func count(_ node: Node, _ path: String) -> HostSpec.HugePages.Count? {
    if node.mapping != nil {
      var counts: [HostSpec.HugePages.NodeCount] = []
      for (key, keyNode, value) in entries(node, path, known: nil) {
        guard let number = Int(key), number >= 0 else {
          error(keyNode, "\(path).\(key)", "a NUMA node is a number such as 0 or 1, not \"\(key)\"")
          continue
        }
        if let pages = pages(value, "\(path).\(key)") { counts.append(.init(node: number, pages: pages, written: key)) }
      }
      return .perNode(counts.sorted { $0.node < $1.node })
    }
    return pages(node, path).map { .total($0) }
  }

  private mutating func pages(_ node: Node, _ path: String) -> Int? {
    guard let text = scalar(node, path) else { return nil }
    if Int(text) == nil, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
      error(node, path, "\(text) pages are more memory than virthost can count (at most 8 EiB)")
      return nil
    }
    guard let number = Int(text), number >= 0 else {
      error(node, path, "must be a number of pages, or a number per NUMA node such as {0: 8, 1: 8}, not \"\(text)\"")
      return nil
    }
    return number
  }
}
