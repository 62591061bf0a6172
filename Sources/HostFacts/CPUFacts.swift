import Foundation
import RootFS

/// What the processors say about themselves in `/proc/cpuinfo`, and the NUMA nodes
/// in `/sys/devices/system/node`.
public struct CPUFacts: Sendable, Codable, Equatable {
  /// The processor makers virthost tells apart: their virtualization flag, IOMMU
  /// argument and KVM module differ.
  public enum Vendor: String, Sendable, Codable, Equatable {
    /// `AuthenticAMD` (and `HygonGenuine`, AMD's licensed design, which uses `kvm_amd` and AMD-Vi).
    case amd
    /// `GenuineIntel`.
    case intel
    /// Any other `vendor_id`, or none (for example on ARM).
    case unknown
  }

  /// The maker, from the first processor's `vendor_id`.
  public var vendor: Fact<Vendor>
  /// The `vendor_id` as written (`AuthenticAMD`); known as `""` when the file has none.
  public var vendorID: Fact<String>
  /// The first processor's `model name`; known as `""` when the file has none.
  public var model: Fact<String>
  /// Whether the CPU offers hardware virtualization: the `svm` (AMD-V) or `vmx` (VT-x) flag.
  /// Absent means unsupported or switched off in the BIOS. Unknown when there is no `flags` line.
  public var hardwareVirtualization: Fact<Bool>
  /// Whether the CPU runs 64-bit code: the `lm` (long mode) flag.
  public var longMode: Fact<Bool>
  /// Every flag any processor shows on a `flags` (x86) or `Features` (Arm) line, sorted, as
  /// `virt-host-validate` reads them; unknown without such a line.
  public var flags: Fact<[String]>
  /// The number of logical processors (`processor` entries).
  public var count: Fact<Int>
  /// The number of NUMA nodes (`node<N>` folders in `/sys/devices/system/node`).
  public var numaNodes: Fact<Int>

  private enum CodingKeys: String, CodingKey {
    case vendor
    case vendorID = "vendor_id"
    case model
    case hardwareVirtualization = "hardware_virtualization"
    case longMode = "long_mode"
    case flags
    case count
    case numaNodes = "numa_nodes"
  }

  static let cpuinfo = "/proc/cpuinfo"
  static let nodes = "/sys/devices/system/node"

  /// Reads the processors of the host at `root` alone, without the other facts
  /// (which ``HostFacts/gather(root:)`` reads too, the boot loader's through Augeas).
  public init(root: HostRoot) {
    switch root.factText(Self.cpuinfo) {
    case .failure(let problem):
      let reason = problem.factReason
      vendor = .unknown(reason, source: Self.cpuinfo)
      vendorID = .unknown(reason, source: Self.cpuinfo)
      model = .unknown(reason, source: Self.cpuinfo)
      hardwareVirtualization = .unknown(reason, source: Self.cpuinfo)
      longMode = .unknown(reason, source: Self.cpuinfo)
      flags = .unknown(reason, source: Self.cpuinfo)
      count = .unknown(reason, source: Self.cpuinfo)
    case .success(let text):
      let fields = CPUInfo(text)
      let id = fields.first("vendor_id") ?? ""
      vendorID = .known(id, source: Self.cpuinfo)
      vendor = .known(Self.vendor(of: id), source: Self.cpuinfo)
      model = .known(fields.first("model name") ?? "", source: Self.cpuinfo)
      // svm, vmx and lm are x86 flags: an Arm CPU's Features line does not judge them.
      if let flags = fields.flags(lines: ["flags"]) {
        hardwareVirtualization = .known(flags.contains("svm") || flags.contains("vmx"), source: Self.cpuinfo)
        longMode = .known(flags.contains("lm"), source: Self.cpuinfo)
      } else {
        let reason = "\(Self.cpuinfo) has no flags line"
        hardwareVirtualization = .unknown(reason, source: Self.cpuinfo)
        longMode = .unknown(reason, source: Self.cpuinfo)
      }
      flags =
        fields.flags(lines: ["flags", "Features"]).map { .known($0.sorted(), source: Self.cpuinfo) }
        ?? .unknown("\(Self.cpuinfo) has no flags line", source: Self.cpuinfo)
      count = .known(fields.count("processor"), source: Self.cpuinfo)
    }
    switch root.factEntries(Self.nodes) {
    case .failure(let problem):
      numaNodes = .unknown(problem.factReason, source: Self.nodes)
    case .success(let names):
      let nodes = names.filter { $0.hasPrefix("node") && $0.dropFirst(4).allSatisfy(\.isNumber) && $0.count > 4 }
      numaNodes = .known(nodes.count, source: Self.nodes)
    }
  }

  /// Whether the CPU shows `flag`; `nil` when the flags are unknown.
  public func has(_ flag: String) -> Bool? { flags.value.map { $0.contains(flag) } }

  /// The maker as the IOMMU and secure-guest checks need it: by flag first (`vmx` Intel, `svm`
  /// AMD, as `virt-host-validate` decides), else by `vendor_id`, so that a CPU whose
  /// virtualization is off in the BIOS still gets its maker's advice.
  public var iommuVendor: Vendor {
    if has("vmx") == true { return .intel }
    if has("svm") == true { return .amd }
    return vendor.value ?? .unknown
  }

  static func vendor(of id: String) -> Vendor {
    switch id {
    case "AuthenticAMD", "HygonGenuine": .amd
    case "GenuineIntel": .intel
    default: .unknown
    }
  }
}

/// The `key : value` lines of `/proc/cpuinfo`.
private struct CPUInfo {
  let pairs: [(key: String, value: String)]

  init(_ text: String) {
    pairs = text.split(separator: "\n").compactMap { line in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (Self.trimmed(line[..<colon]), Self.trimmed(line[line.index(after: colon)...]))
    }
  }

  func first(_ key: String) -> String? { pairs.first { $0.key == key }?.value }

  /// The flags of every line named one of `lines`, all processors together; `nil` without one.
  func flags(lines names: Set<String>) -> Set<String>? {
    // Processors mostly show the same line: each different one is split once.
    let lines = Set(pairs.filter { names.contains($0.key) }.map(\.value))
    guard !lines.isEmpty else { return nil }
    return Set(lines.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) })
  }

  /// `text` without the spaces and tabs around it.
  private static func trimmed(_ text: Substring) -> String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let start = text.firstIndex(where: { !blank($0) }), let end = text.lastIndex(where: { !blank($0) }) else {
      return ""
    }
    return String(text[start...end])
  }

  func count(_ key: String) -> Int { pairs.count { $0.key == key } }
}
