import HostConfig
import RootFS

/// One PCI device as sysfs shows it under `/sys/bus/pci/devices/<address>`.
public struct PCIDevice: Sendable, Codable, Equatable {
  /// The domain, bus, slot and function (`0000:01:00.0`).
  public var address: String
  /// The vendor and device IDs as `lspci -nn` shows them (`10de:1b80`).
  public var ids: String
  /// The class.
  public var pciClass: PCIClass?
  /// The driver bound now (`nouveau`, `vfio-pci`), `nil` when none is.
  public var driver: String?
  /// The IOMMU group's number, `nil` when the IOMMU is off (no `iommu_group` link).
  public var iommuGroup: String?
  /// The other devices of its IOMMU group, sorted.
  public var groupPeers: [String]
  /// Whether the firmware used it as the boot display (`boot_vga` is `1`).
  public var bootVGA: Bool

  private enum CodingKeys: String, CodingKey {
    case address, ids, driver
    case pciClass = "class"
    case iommuGroup = "iommu_group"
    case groupPeers = "group_peers"
    case bootVGA = "boot_vga"
  }

  /// Creates a device.
  public init(
    address: String, ids: String, pciClass: PCIClass?, driver: String?, iommuGroup: String?,
    groupPeers: [String] = [], bootVGA: Bool = false
  ) {
    self.address = address
    self.ids = ids
    self.pciClass = pciClass
    self.driver = driver
    self.iommuGroup = iommuGroup
    self.groupPeers = groupPeers
    self.bootVGA = bootVGA
  }

  /// The devices folder.
  public static let folder = "/sys/bus/pci/devices"

  /// Reads the device at `address` under `root`; `nil` when its vendor or device file is missing.
  init?(_ root: HostRoot, address: String) {
    let base = "\(Self.folder)/\(address)"
    guard let vendor = try? root.value("\(base)/vendor"), let device = try? root.value("\(base)/device") else {
      return nil
    }
    self.address = address
    ids = "\(Self.hex(vendor)):\(Self.hex(device))"
    pciClass = (try? root.value("\(base)/class")).flatMap(PCIClass.init(sysfs:))
    driver = Self.linkName(root, "\(base)/driver")
    iommuGroup = Self.linkName(root, "\(base)/iommu_group")
    groupPeers =
      iommuGroup.map { group in
        root.listIfPresent("/sys/kernel/iommu_groups/\(group)/devices").filter { $0 != address }
      } ?? []
    bootVGA = (try? root.value("\(base)/boot_vga")) == "1"
  }

  /// The last name of the path the link at `path` leads to, `nil` when there is no link.
  static func linkName(_ root: HostRoot, _ path: String) -> String? {
    guard root.linkText(path) != nil, let target = root.resolve(path) else { return nil }
    return target.split(separator: "/").last.map(String.init)
  }

  /// `0x10de` as `10de`.
  static func hex(_ text: String) -> String {
    let lower = text.lowercased()
    return lower.hasPrefix("0x") ? String(lower.dropFirst(2)) : lower
  }

  /// The PCI address that `path` (a resolved sysfs device path) lies under, the deepest one.
  static func address(under path: String) -> String? {
    path.split(separator: "/").map(String.init).last(where: ModuleOptionRules.isAddress)
  }
}
