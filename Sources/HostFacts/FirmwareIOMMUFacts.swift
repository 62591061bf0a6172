import RootFS

/// The IOMMU as the firmware announces it (ACPI `DMAR` for Intel VT-d, `IVRS` for AMD-Vi, `IORT`
/// with an SMMU on Arm) and as the kernel groups devices behind it (`/sys/kernel/iommu_groups`).
///
/// Whether the kernel runs it, and what the boot log says, is ``IOMMUFacts``'s concern.
public struct FirmwareIOMMUFacts: Sendable, Codable, Equatable {
  /// The ACPI tables virthost looks for.
  public static let tableNames = ["DMAR", "IVRS", "IORT"]

  /// Which of ``tableNames`` exist in `/sys/firmware/acpi/tables`; `[]` when none.
  public var tables: Fact<[String]>
  /// Whether the `IORT` table describes an SMMU (node type 3, SMMUv1/v2, or 4, SMMUv3), as
  /// libvirt's `virAcpiHasSMMU` reads it; unknown without an `IORT` table.
  public var iortHasSMMU: Fact<Bool>
  /// How many IOMMU groups the kernel made (entries of `/sys/kernel/iommu_groups`): none means
  /// the kernel does not run the IOMMU. Unknown on kernels without the folder (before 3.5).
  public var groups: Fact<Int>

  private enum CodingKeys: String, CodingKey {
    case tables
    case iortHasSMMU = "iort_has_smmu"
    case groups
  }

  static let folder = "/sys/firmware/acpi/tables"
  static let groupsFolder = "/sys/kernel/iommu_groups"

  init(_ root: HostRoot) {
    do throws(HostRootError) {
      let names = try root.list(Self.folder)
      tables = .known(Self.tableNames.filter { names.contains($0) }, source: Self.folder)
    } catch {
      tables = .unknown(error.description, source: Self.folder)
    }
    let iort = Self.folder + "/IORT"
    if tables.value?.contains("IORT") == true {
      do throws(HostRootError) {
        let bytes = try root.read(iort, limit: 1 << 20)
        iortHasSMMU =
          Self.hasSMMU(bytes).map { .known($0, source: iort) }
          ?? .unknown("\(iort) is not a well-formed IORT table", source: iort)
      } catch {
        iortHasSMMU = .unknown(error.description, source: iort)
      }
    } else {
      iortHasSMMU = .unknown(tables.unknown ?? "\(iort) not found", source: iort)
    }
    do throws(HostRootError) {
      groups = .known(try root.list(Self.groupsFolder).count, source: Self.groupsFolder)
    } catch {
      groups = .unknown(error.description, source: Self.groupsFolder)
    }
  }

  /// Whether an IORT table's nodes include an SMMU; `nil` when the bytes are too short or a
  /// node runs past the table's end.
  static func hasSMMU(_ bytes: [UInt8]) -> Bool? {
    func u32(_ at: Int) -> Int? {
      guard at + 4 <= bytes.count else { return nil }
      return (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }
    guard let count = u32(36), var offset = u32(40) else { return nil }
    for _ in 0..<count {
      guard offset + 3 <= bytes.count else { return nil }
      let type = bytes[offset]
      let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
      if type == 3 || type == 4 { return true }
      guard length > 0 else { return nil }
      offset += length
    }
    return false
  }
}
