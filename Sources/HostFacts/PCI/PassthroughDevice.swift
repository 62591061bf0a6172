import HostConfig
import RootFS

/// One device the vfio configuration moves, or a twin of one that stays: how it is selected,
/// the driver it is bound to, its IOMMU group and whether the host boots from it.
public struct PassthroughDevice: Sendable, Codable, Equatable {
  /// How the configuration names the device.
  public enum Selection: String, Sendable, Codable {
    /// By its PCI address (virthost's udev rule): it alone moves.
    case address
    /// By its IDs (`vfio-pci ids=`): every device with them moves.
    case ids
    /// Not named: it has the IDs of a device named by address, and stays with the host.
    case twin
  }

  /// The PCI address.
  public var address: String
  /// The vendor:device IDs.
  public var ids: String
  /// How it is selected.
  public var selection: Selection
  /// The driver bound now, `nil` when none is.
  public var driver: String?
  /// The IOMMU group, `nil` when the IOMMU is off.
  public var iommuGroup: String?
  /// What the host needs it for (`the network device of the default route`), `nil` when nothing.
  public var bootDevice: String?

  private enum CodingKeys: String, CodingKey {
    case address, ids, selection, driver
    case iommuGroup = "iommu_group"
    case bootDevice = "boot_device"
  }

  /// Creates an entry.
  public init(
    address: String, ids: String, selection: Selection, driver: String?, iommuGroup: String?, bootDevice: String?
  ) {
    self.address = address
    self.ids = ids
    self.selection = selection
    self.driver = driver
    self.iommuGroup = iommuGroup
    self.bootDevice = bootDevice
  }

  /// Whether it is where the configuration wants it: a moved device on `vfio-pci`, a twin not.
  public var isInPlace: Bool { (driver == "vfio-pci") != (selection == .twin) }

  /// The devices `addresses` and `ids` select, then their twins, in device order each.
  static func list(
    _ devices: [PCIDevice], addresses: [String], ids: [String], boot: BootDevices
  ) -> [PassthroughDevice] {
    let make = { (device: PCIDevice, selection: Selection) in
      PassthroughDevice(
        address: device.address, ids: device.ids, selection: selection, driver: device.driver,
        iommuGroup: device.iommuGroup, bootDevice: boot.all.first { $0.address == device.address }?.role)
    }
    let named = devices.compactMap { device -> PassthroughDevice? in
      if addresses.contains(device.address) { return make(device, .address) }
      return ids.contains(device.ids) ? make(device, .ids) : nil
    }
    let twinIDs = Set(named.filter { $0.selection == .address }.map(\.ids))
    let twins = devices.filter { device in
      twinIDs.contains(device.ids) && !named.contains { $0.address == device.address }
    }
    return named + twins.map { make($0, .twin) }
  }
}
