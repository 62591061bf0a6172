import HostConfig
import HostFacts
import Yams

/// `guests:`: libvirt domains placed on what the host reserved, their vCPUs pinned to the
/// isolated CPUs of one node, their emulator on housekeeping CPUs, their memory bound to that
/// node and backed by its huge pages (``GuestPlacement``, ``GuestsProvider``). See docs/guests.md.
enum GuestsFeature: Feature {
  static let keys = ["guests"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.guests = reader.guests(value)
  }

  static let placesItsProblems = true

  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { spec.guests == nil ? [] : [.tuning] }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let guests = expansion.spec.guests, let tuning = expansion.tuning else { return [] }
    let spec = expansion.spec
    let locations = Dictionary(
      spec.locations.filter { $0.key.hasPrefix("guests.") }.map { ($0.key, $0.value) },
      uniquingKeysWith: { first, _ in first })
    return [GuestsProvider(guests: guests, host: host(spec, tuning), locations: locations)]
  }

  /// The host side of the placement: the nodes' CPUs, the CPUs `cpu.isolated` isolates (or
  /// the running kernel does), and the pools `hugepages:` reserves (or the host has now).
  static func host(_ spec: HostSpec, _ tuning: TuningFacts) -> GuestPlacement.Host {
    let nodes = tuning.nodes.map { (id: $0.id, cpus: $0.cpus) }
    var pools: [Int: [Int: Int]] = [:]
    if let huge = spec.hugepages {
      for pool in huge.pools {
        switch pool.count {
        case .perNode(let counts):
          for count in counts { pools[pool.sizeKiB, default: [:]][count.node] = count.pages }
        case .total(let pages):
          // The kernel spreads a total over the nodes in turn.
          for (index, node) in nodes.enumerated() {
            pools[pool.sizeKiB, default: [:]][node.id] = pages / nodes.count + (index < pages % nodes.count ? 1 : 0)
          }
        }
      }
    } else {
      for node in tuning.nodes {
        for pool in node.hugePages { pools[pool.sizeKiB, default: [:]][node.id] = pool.total }
      }
    }
    let isolated: CPUList? =
      if let cpu = spec.cpu { cpu.isolated } else { tuning.isolationNow.isolated.flatMap { $0.isEmpty ? nil : $0 } }
    return GuestPlacement.Host(nodes: nodes, isolated: isolated, pools: pools)
  }
}
