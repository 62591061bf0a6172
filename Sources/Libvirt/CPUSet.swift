/// A set of host CPUs by number, as libvirt's CPU maps hold them (bit `n % 8` of byte `n / 8`
/// is CPU `n`). Plain value; knows nothing of NUMA or isolation.
public struct CPUSet: Sendable, Equatable, CustomStringConvertible {
  /// The CPUs in the set, ascending.
  public private(set) var cpus: [Int]
  /// How many CPUs the host has: the map's length in bits is rounded up from it.
  public var capacity: Int

  /// A set of `cpus` on a host of `capacity` CPUs; numbers outside `0..<capacity` are dropped.
  public init(_ cpus: some Sequence<Int> = [], capacity: Int) {
    self.capacity = capacity
    self.cpus = Array(Set(cpus.filter { $0 >= 0 && $0 < capacity })).sorted()
  }

  init(map: UnsafeBufferPointer<UInt8>, capacity: Int) {
    self.init(
      (0..<capacity).filter { cpu in cpu / 8 < map.count && map[cpu / 8] & (1 << (cpu % 8)) != 0 }, capacity: capacity)
  }

  /// libvirt's `VIR_CPU_MAPLEN`: the bytes of a map of `capacity` CPUs.
  static func mapLength(_ capacity: Int) -> Int { (capacity + 7) / 8 }

  /// The map libvirt takes.
  var map: [UInt8] {
    var bytes = [UInt8](repeating: 0, count: Self.mapLength(capacity))
    for cpu in cpus { bytes[cpu / 8] |= 1 << (cpu % 8) }
    return bytes
  }

  /// The list form `virsh` prints: `0-2,5`.
  public var description: String {
    var ranges: [String] = []
    var index = 0
    while index < cpus.count {
      var end = index
      while end + 1 < cpus.count && cpus[end + 1] == cpus[end] + 1 { end += 1 }
      ranges.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
      index = end + 1
    }
    return ranges.joined(separator: ",")
  }
}
