import RootFS

/// The IOMMU (AMD-Vi, Intel VT-d) that PCI passthrough needs: announced by the firmware,
/// switched on by the kernel, and what the kernel said about it at boot.
public struct IOMMUFacts: Sendable, Codable, Equatable {
  /// The ACPI tables that announce an IOMMU and that virthost looks for: `DMAR` (Intel
  /// VT-d) and `IVRS` (AMD-Vi).
  public static let tables = ["DMAR", "IVRS"]

  /// Which of `tables` the firmware provides (in `/sys/firmware/acpi/tables`); `[]` when none.
  /// None means the IOMMU is off in the BIOS or absent.
  public var firmwareTables: Fact<[String]>
  /// Whether the kernel runs the IOMMU: an entry in `/sys/class/iommu` or a non-empty
  /// `/sys/kernel/iommu_groups`. On kernels older than those folders (before 3.5), the
  /// boot log's words decide (`AMD-Vi: Enabling IOMMU`, `DMAR: IOMMU enabled` against
  /// `AMD-Vi disabled by default`); unknown when neither tells.
  public var active: Fact<Bool>
  /// The boot log (``KernelRingBuffer/bootLog(_:)``: `/var/log/dmesg`, else the live ring
  /// buffer)'s lines about the IOMMU (those naming `AMD-Vi`, `DMAR`, `IOMMU`, `Intel-IOMMU`
  /// or starting `iommu:`), verbatim and in order, command-line echoes left out.
  public var bootLog: Fact<[String]>
  /// Whether the boot log shows the IOMMU in passthrough mode (`Initialized for Passthrough
  /// Mode`, `Default domain type: Passthrough`); unknown without a boot log.
  public var passthrough: Fact<Bool>

  private enum CodingKeys: String, CodingKey {
    case firmwareTables = "firmware_tables"
    case active
    case bootLog = "boot_log"
    case passthrough
  }

  static let tablesFolder = "/sys/firmware/acpi/tables"
  static let classFolder = "/sys/class/iommu"
  static let groupsFolder = "/sys/kernel/iommu_groups"

  init(_ root: HostRoot) {
    switch root.factEntries(Self.tablesFolder) {
    case .failure(let problem): firmwareTables = .unknown(problem.factReason, source: Self.tablesFolder)
    case .success(let names):
      firmwareTables = .known(Self.tables.filter { names.contains($0) }, source: Self.tablesFolder)
    }
    let log = KernelRingBuffer.bootLog(root)
    if let all = log.value {
      let lines = all.map { String($0.reversed().drop { $0.isWhitespace }.reversed()) }.filter(Self.isAboutIOMMU)
      bootLog = .known(lines, source: log.source)
      passthrough = .known(
        lines.contains { $0.lowercased().contains("passthrough") || $0.lowercased().contains("pass through") },
        source: log.source)
    } else {
      bootLog = .unknown(log.unknown ?? "", source: log.source)
      passthrough = .unknown(log.unknown ?? "", source: log.source)
    }
    active = Self.active(root, bootLog: bootLog)
  }

  static func isAboutIOMMU(_ line: String) -> Bool {
    if line.contains("Command line:") { return false }
    let message = line.hasPrefix("[") ? String(line.drop { $0 != "]" }.dropFirst().drop(while: \.isWhitespace)) : line
    return ["AMD-Vi", "DMAR", "IOMMU", "Intel-IOMMU"].contains { message.contains($0) } || message.hasPrefix("iommu:")
  }

  private static func active(_ root: HostRoot, bootLog: Fact<[String]>) -> Fact<Bool> {
    let folders = [classFolder, groupsFolder].compactMap { folder in
      (try? root.factEntries(folder).get()).map { (folder, $0) }
    }
    if !folders.isEmpty {
      return .known(
        folders.contains { !$0.1.isEmpty }, source: folders.map(\.0).joined(separator: ", "))
    }
    let missing = "\(classFolder) and \(groupsFolder) not found"
    guard let lines = bootLog.value else {
      return .unknown("\(missing), \(bootLog.unknown ?? "no boot log")", source: "\(classFolder), \(groupsFolder)")
    }
    let on = [
      "AMD-Vi: Enabling IOMMU", "AMD-Vi: Initialized for Passthrough", "DMAR: IOMMU enabled", "Intel-IOMMU: enabled",
    ]
    let off = ["AMD-Vi disabled by default", "DMAR: IOMMU disabled", "Intel-IOMMU: disabled"]
    if lines.contains(where: { line in on.contains { line.contains($0) } }) {
      return .known(true, source: bootLog.source)
    }
    if lines.contains(where: { line in off.contains { line.contains($0) } }) {
      return .known(false, source: bootLog.source)
    }
    return .unknown("\(missing), and \(bootLog.source) does not say", source: bootLog.source)
  }
}
