/// A PCI device's class code (`0300`: base class `03`, subclass `00`) and, for the common
/// classes, its name as pciutils' `pci.ids` spells it (`VGA compatible controller`).
public struct PCIClass: Sendable, Codable, Equatable, CustomStringConvertible {
  /// Base class and subclass as four lowercase hex digits (`0300`), as `lspci -nn` shows them.
  public var code: String

  /// Creates the class from sysfs's `class` file text (`0x030000`: class, subclass, interface)
  /// or a four-digit code; `nil` for anything else.
  public init?(sysfs text: String) {
    var digits = text.lowercased()
    if digits.hasPrefix("0x") { digits.removeFirst(2) }
    guard digits.count == 6 || digits.count == 4, digits.allSatisfy(\.isHexDigit) else { return nil }
    code = String(digits.prefix(4))
  }

  /// The readable name of the common classes; `nil` for one not in the table (`lspci` names it).
  public var name: String? { Self.names[code] }

  /// Whether the device is a PCI bridge (`0604`): it may share a group with passed-through devices.
  public var isBridge: Bool { code == "0604" || code == "0600" }

  /// `0300 (VGA compatible controller)`, or the code alone.
  public var description: String { name.map { "\(code) (\($0))" } ?? code }

  /// The subclass names of pciutils' `pci.ids` for the classes a KVM host shows most.
  static let names: [String: String] = [
    "00ff": "Unclassified device",
    "0100": "SCSI storage controller", "0101": "IDE interface", "0104": "RAID bus controller",
    "0106": "SATA controller", "0107": "Serial Attached SCSI controller", "0108": "Non-Volatile memory controller",
    "0180": "Mass storage controller",
    "0200": "Ethernet controller", "0207": "Infiniband controller", "0280": "Network controller",
    "0300": "VGA compatible controller", "0302": "3D controller", "0380": "Display controller",
    "0401": "Multimedia audio controller", "0403": "Audio device", "0480": "Multimedia controller",
    "0600": "Host bridge", "0601": "ISA bridge", "0604": "PCI bridge", "0680": "Bridge",
    "0700": "Serial controller", "0780": "Communication controller",
    "0880": "System peripheral",
    "0c03": "USB controller", "0c04": "Fibre Channel", "0c05": "SMBus",
    "1180": "Signal processing controller", "1200": "Processing accelerators",
  ]
}
