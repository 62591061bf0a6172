import Editors
import Foundation
import HostConfig

/// Where each guest of `guests:` goes on one host: pure, from the host's NUMA nodes,
/// isolated CPUs and huge page pools (``GuestHost``) and the domains' definitions. Its
/// refusals name the guests and the numbers; nothing is placed when there is one.
enum GuestPlacement {
  /// The host side of the placement, from virthost's own facts.
  struct Host: Equatable {
    /// The NUMA nodes and their CPUs, by node number.
    var nodes: [(id: Int, cpus: CPUList)]
    /// The isolated CPUs (`cpu.isolated`, or the running kernel's); `nil` when none are.
    var isolated: CPUList?
    /// The huge pages reserved, by page size (KiB), then node.
    var pools: [Int: [Int: Int]]

    static func == (lhs: Self, rhs: Self) -> Bool {
      lhs.nodes.map(\.id) == rhs.nodes.map(\.id) && lhs.nodes.map(\.cpus) == rhs.nodes.map(\.cpus)
        && lhs.isolated == rhs.isolated && lhs.pools == rhs.pools
    }

    /// Every CPU of the host.
    var cpus: CPUList { CPUList(nodes.flatMap(\.cpus.cpus)) }
    /// The CPUs not isolated.
    var housekeeping: CPUList { isolated.map { cpus.subtracting($0) } ?? cpus }
  }

  /// One domain found, with its definition.
  struct Domain {
    var name: String
    var definition: DomainDefinition
  }

  /// One guest placed: the domain, its entry, and the elements it gets.
  struct Placed {
    var domain: String
    var entry: String
    var tuning: DomainTuning
    /// The node of its CPUs or memory, when it has one.
    var node: Int?
  }

  /// A refusal (or a remark), at a key of host.yaml.
  struct Problem: Equatable {
    var severity: Diagnostic.Severity = .error
    var keyPath: String
    var summary: String
    var detail: String?
  }

  /// The placement of `guests` on `host`.
  static func place(_ guests: HostSpec.Guests, domains: [Domain], host: Host) -> (
    placed: [Placed], problems: [Problem]
  ) {
    var problems: [Problem] = []
    var assigned: [(guest: HostSpec.Guest, domain: Domain)] = []
    var owner: [String: String] = [:]
    let names = domains.map(\.name).sorted()
    for guest in guests.entries {
      let key = "guests.\(guest.pattern)"
      let matched = domains.filter { fnmatch(guest.pattern, $0.name, 0) == 0 }.sorted { $0.name < $1.name }
      if matched.isEmpty {
        problems.append(
          Problem(
            severity: guest.isPattern ? .warning : .error, keyPath: key,
            summary: guest.isPattern
              ? "the pattern \(guest.pattern) matches no domain" : "no domain named \(guest.pattern)",
            detail: "The domains defined: \(names.isEmpty ? "none" : names.joined(separator: ", "))."))
      }
      for domain in matched {
        if let first = owner[domain.name] {
          problems.append(
            Problem(keyPath: key, summary: "\(domain.name) is placed by both guests.\(first) and \(key)"))
          continue
        }
        owner[domain.name] = guest.pattern
        if let manager = domain.definition.manager, !guest.force {
          problems.append(
            Problem(
              keyPath: key, summary: "\(domain.name) is managed by \(manager), which regenerates its definition",
              detail: "Set \(key).force: true to place it anyway; \(manager) may undo the change."))
          continue
        }
        assigned.append((guest, domain))
      }
    }
    var state = State(host: host)
    var placed: [Placed] = []
    // Explicit lists first, then pinned guests from the largest (first fit decreasing, best fit).
    let order = assigned.enumerated().sorted { lhs, rhs in
      let left = lhs.element.guest.vcpus == .pinned ? lhs.element.domain.definition.vcpus ?? 0 : Int.max
      let right = rhs.element.guest.vcpus == .pinned ? rhs.element.domain.definition.vcpus ?? 0 : Int.max
      return left != right ? left > right : lhs.offset < rhs.offset
    }
    for (_, item) in order {
      if let result = state.place(item.guest, item.domain, &problems) { placed.append(result) }
    }
    problems += state.poolProblems()
    problems += state.claimProblems()
    let byName = Dictionary(uniqueKeysWithValues: placed.map { ($0.domain, $0) })
    return (assigned.compactMap { byName[$0.domain.name] }, problems)
  }

  /// What the guests placed so far hold.
  private struct State {
    let host: Host
    /// The guests claiming each CPU, in order.
    var claims: [Int: [String]] = [:]
    /// The pages each guest takes, by size and node.
    var pages: [Int: [Int: [(guest: String, key: String, pages: Int)]]] = [:]
    /// How many guests each node holds.
    var load: [Int: Int] = [:]

    init(host: Host) { self.host = host }

    func freeIsolated(_ node: Int) -> [Int] {
      guard let isolated = host.isolated, let cpus = host.nodes.first(where: { $0.id == node })?.cpus else { return [] }
      return cpus.cpus.filter { isolated.contains($0) && claims[$0] == nil }
    }

    func freePages(_ size: Int, _ node: Int) -> Int {
      (host.pools[size]?[node] ?? 0) - (pages[size]?[node] ?? []).reduce(0) { $0 + $1.pages }
    }

    mutating func place(_ guest: HostSpec.Guest, _ domain: Domain, _ problems: inout [Problem]) -> Placed? {
      let key = "guests.\(guest.pattern)"
      let name = domain.name
      let nodeIDs = host.nodes.map(\.id)
      var tuning = DomainTuning()
      var node: Int?
      var refused = false
      let vcpus = domain.definition.vcpus ?? 1
      if case .number(let number) = guest.memory?.node, !nodeIDs.contains(number) {
        problems.append(
          Problem(
            keyPath: "\(key).memory.node",
            summary: "node \(number) is not on this host (nodes \(nodeIDs.map(String.init).joined(separator: ", ")))"))
        return nil
      }
      if case .number(let number) = guest.memory?.node { node = number }
      var size = guest.memory?.hugePageSizeKiB
      let needed = size.map { ((domain.definition.memoryKiB ?? 0) + $0 - 1) / $0 } ?? 0
      if let wanted = size, (host.pools[wanted] ?? [:]).values.allSatisfy({ $0 == 0 }) {
        let sizes = host.pools.filter { $0.value.values.contains { $0 > 0 } }.keys.sorted()
        problems.append(
          Problem(
            keyPath: "\(key).memory.hugepages",
            summary: "no pool of \(HostSpec.sizeText(kibibytes: wanted)) pages for \(name)",
            detail: "The host reserves "
              + (sizes.isEmpty
                ? "no huge page"
                : sizes.map { HostSpec.sizeText(kibibytes: $0) }.joined(separator: ", ")
                  + " pages")
              + " (hugepages:)."))
        refused = true
        size = nil
      }
      switch guest.vcpus {
      case .cpus(let list)?:
        if let outside = outside(list, "\(key).vcpus") {
          problems.append(outside)
          return nil
        }
        if list.count != vcpus {
          problems.append(
            Problem(keyPath: "\(key).vcpus", summary: "lists \(list.count) CPUs for \(name)'s \(vcpus) vCPUs"))
          return nil
        }
        for cpu in list.cpus { claims[cpu, default: []].append(name) }
        tuning.vcpuPins = list.cpus.map(String.init)
        node = node ?? host.nodes.first { nodeCPUs in list.cpus.allSatisfy(nodeCPUs.cpus.contains) }?.id
      case .pinned?:
        guard host.isolated != nil else {
          problems.append(
            Problem(
              keyPath: "\(key).vcpus", summary: "vcpus: pinned needs isolated CPUs, and the host isolates none",
              detail: "Set cpu.isolated, or list the CPUs."))
          return nil
        }
        let candidates = node.map { [$0] } ?? nodeIDs
        let roomy = candidates.filter { freeIsolated($0).count >= vcpus }
        let fitting = roomy.filter { candidate in (size.map { freePages($0, candidate) } ?? needed) >= needed }
        let best = (fitting.isEmpty ? roomy : fitting).min { freeIsolated($0).count < freeIsolated($1).count }
        guard let chosen = best else {
          let nodes = candidates.map { "node \($0) has \(freeIsolated($0).count) (\(CPUList(freeIsolated($0))))" }
          problems.append(
            Problem(
              keyPath: "\(key).vcpus",
              summary: "too few isolated CPUs for \(name)'s \(vcpus) vCPUs: " + nodes.joined(separator: ", ")
                + " left",
              detail: "cpu.isolated is \(host.isolated!); a pinned guest takes its CPUs from one node."))
          return nil
        }
        let cpus = Array(freeIsolated(chosen).prefix(vcpus))
        for cpu in cpus { claims[cpu, default: []].append(name) }
        tuning.vcpuPins = cpus.map(String.init)
        node = chosen
      case nil: break
      }
      if node == nil, let size {
        node = nodeIDs.min { (-freePages(size, $0), $0) < (-freePages(size, $1), $1) }
      }
      if node == nil, guest.memory != nil {
        node = nodeIDs.min { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }
      }
      if let node { load[node, default: 0] += 1 }
      switch guest.emulator {
      case .housekeeping?:
        let local = host.nodes.first { $0.id == node }.map { $0.cpus.subtracting(host.isolated ?? CPUList([])) }
        let cpus = local.flatMap { $0.isEmpty ? nil : $0 } ?? host.housekeeping
        tuning.emulatorPin = cpus.description
      case .cpus(let list)?:
        if let outside = outside(list, "\(key).emulator") {
          problems.append(outside)
          refused = true
        }
        tuning.emulatorPin = list.description
      case nil: break
      }
      if let memory = guest.memory, let node {
        tuning.memoryNodeset = "\(node)"
        tuning.memoryMode = memory.mode.rawValue
        if let size {
          tuning.hugePageSizeKiB = size
          pages[size, default: [:]][node, default: []].append((name, key, needed))
        }
      }
      tuning.cpuMode = guest.cpuMode?.rawValue
      tuning.limits = guest.limits.map { DomainTuning.Limit(name: $0.name, kibibytes: $0.kibibytes) }
      if let balloon = guest.balloonKiB {
        if let memory = domain.definition.memoryKiB, balloon > memory {
          problems.append(
            Problem(
              keyPath: "\(key).balloon",
              summary: "the balloon (\(balloon) KiB) is larger than \(name)'s memory (\(memory) KiB)"))
          refused = true
        }
        tuning.currentMemoryKiB = balloon
      }
      return refused ? nil : Placed(domain: name, entry: guest.pattern, tuning: tuning, node: node)
    }

    /// The refusal of `list`'s CPUs that the host does not have, at `keyPath`; `nil` when it has them all.
    func outside(_ list: CPUList, _ keyPath: String) -> Problem? {
      let outside = list.cpus.filter { !host.cpus.contains($0) }
      guard !outside.isEmpty else { return nil }
      return Problem(
        keyPath: keyPath, summary: "CPU \(CPUList(outside)) is outside the host (its CPUs are \(host.cpus))")
    }

    /// A pool too small for the guests placed on its node: the guests and the pages.
    func poolProblems() -> [Problem] {
      var problems: [Problem] = []
      for (size, nodes) in pages.sorted(by: { $0.key < $1.key }) {
        for (node, guests) in nodes.sorted(by: { $0.key < $1.key }) {
          let total = guests.reduce(0) { $0 + $1.pages }
          let reserved = host.pools[size]?[node] ?? 0
          guard total > reserved else { continue }
          let sizeText = HostSpec.sizeText(kibibytes: size)
          problems.append(
            Problem(
              keyPath: "\(guests[0].key).memory",
              summary:
                "node \(node)'s \(sizeText) pool holds \(reserved) pages; the guests placed there need \(total): "
                + guests.map { "\($0.guest) \($0.pages)" }.joined(separator: ", "),
              detail: "Reserve more \(sizeText) pages on node \(node) (hugepages.count) or place a guest elsewhere."))
        }
      }
      return problems
    }

    /// A CPU claimed by two guests.
    func claimProblems() -> [Problem] {
      claims.keys.sorted().compactMap { cpu in
        let guests = claims[cpu]!
        guard guests.count > 1 else { return nil }
        return Problem(
          keyPath: "guests.\(guests[1])", summary: "CPU \(cpu) is claimed by \(guests.joined(separator: " and "))")
      }
    }
  }
}
