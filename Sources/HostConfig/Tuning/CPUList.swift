/// A set of CPU numbers in the kernel's list form (`0-3,8,10-11`), as sysfs writes it
/// (`/sys/devices/system/cpu/online`, `nodeN/cpulist`) and as `isolcpus=`, `nohz_full=`,
/// `CPUAffinity=` and `IRQBALANCE_BANNED_CPULIST` take it.
///
/// Kept sorted and without repeats; the canonical text joins runs with `-`. Not a CPU mask
/// (`ff,ffffffff`): those are hexadecimal and not read here.
public struct CPUList: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The CPU numbers, ascending.
  public private(set) var cpus: [Int]

  /// The list of `cpus` (sorted, repeats dropped).
  public init(_ cpus: some Sequence<Int>) {
    self.cpus = Array(Set(cpus)).sorted()
  }

  /// Parses `0-3,8` (spaces around items allowed, an empty text is the empty list).
  ///
  /// - Throws: ``ConfigFileError`` naming the item that is not a number or a rising range.
  public init(parsing text: String) throws(ConfigFileError) {
    var result: [Int] = []
    for item in text.split(separator: ",") {
      let trimmed = String(item.filter { !$0.isWhitespace })
      let bounds = trimmed.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0,
        let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low
      else {
        throw ConfigFileError(message: "'\(trimmed)' is not a CPU number or a range such as 2-15")
      }
      result += Array(low...high)
    }
    self.init(result)
  }

  /// Whether the list holds no CPU.
  public var isEmpty: Bool { cpus.isEmpty }

  /// Whether `cpu` is in the list.
  public func contains(_ cpu: Int) -> Bool { cpus.contains(cpu) }

  /// The CPUs of this list that `other` lacks.
  public func subtracting(_ other: CPUList) -> CPUList { CPUList(cpus.filter { !other.contains($0) }) }

  /// `0-3,8,10-11`; `""` for the empty list.
  public var description: String {
    var parts: [String] = []
    var index = 0
    while index < cpus.count {
      var end = index
      while end + 1 < cpus.count, cpus[end + 1] == cpus[end] + 1 { end += 1 }
      parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
      index = end + 1
    }
    return parts.joined(separator: ",")
  }

  /// Encoded as its text.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// Decoded from its text.
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do { try self.init(parsing: text) } catch {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
    }
  }
}
