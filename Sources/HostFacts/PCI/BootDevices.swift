import RootFS

/// The PCI devices the running host needs to stay up, which passthrough must never take:
/// the controller behind the root file system, the active console's display, and the network
/// device that holds the default route. Each is a list of PCI addresses (`[]` when that thing
/// is not on a PCI device, such as a serial console), or unknown with the reason.
public struct BootDevices: Sendable, Codable, Equatable {
  /// The controller of the block device mounted at `/` (from `/proc/self/mountinfo`'s
  /// `MAJ:MIN`, then `/sys/dev/block/MAJ:MIN` up to its PCI address).
  public var rootFileSystem: Fact<[String]>
  /// The boot display when the console is a virtual terminal (`tty0` in
  /// `/sys/class/tty/console/active`): the device whose `boot_vga` is `1`.
  public var console: Fact<[String]>
  /// The device of the interface with the default route (`/proc/net/route`, destination 0).
  public var defaultRoute: Fact<[String]>

  private enum CodingKeys: String, CodingKey {
    case rootFileSystem = "root_file_system"
    case console
    case defaultRoute = "default_route"
  }

  static let mountInfo = "/proc/self/mountinfo"
  static let consoleFile = "/sys/class/tty/console/active"
  static let routes = "/proc/net/route"

  init(_ root: HostRoot, devices: [PCIDevice]) {
    rootFileSystem = Self.rootController(root)
    console = Self.console(root, devices: devices)
    defaultRoute = Self.routeDevice(root)
  }

  /// Every address the three name, with what it is, in that order.
  public var all: [(address: String, role: String)] {
    (rootFileSystem.value ?? []).map { ($0, "the controller of the root file system") }
      + (console.value ?? []).map { ($0, "the active console's display") }
      + (defaultRoute.value ?? []).map { ($0, "the network device of the default route") }
  }

  private static func rootController(_ root: HostRoot) -> Fact<[String]> {
    let text: String
    switch root.factText(mountInfo) {
    case .failure(let problem): return .unknown(problem.factReason, source: mountInfo)
    case .success(let value): text = value
    }
    // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT ...; the last "/" line is the one seen.
    let line = text.split(separator: "\n").map { $0.split(separator: " ") }.last { $0.count > 4 && $0[4] == "/" }
    guard let line else { return .unknown("\(mountInfo) has no line for /", source: mountInfo) }
    let number = String(line[2])
    let block = "/sys/dev/block/\(number)"
    guard root.exists(block), let path = root.resolve(block) else {
      return .unknown("/ is on \(number), which is no block device (\(block) not found)", source: mountInfo)
    }
    return .known(PCIDevice.address(under: path).map { [$0] } ?? [], source: "\(mountInfo), \(block)")
  }

  private static func console(_ root: HostRoot, devices: [PCIDevice]) -> Fact<[String]> {
    switch root.factValue(consoleFile) {
    case .failure(let problem): return .unknown(problem.factReason, source: consoleFile)
    case .success(let active):
      let terminals = active.split(separator: " ")
      guard terminals.contains(where: { $0 == "tty0" || ($0.hasPrefix("tty") && Int($0.dropFirst(3)) != nil) })
      else { return .known([], source: consoleFile) }
      return .known(
        devices.filter(\.bootVGA).map(\.address), source: "\(consoleFile), \(PCIDevice.folder)/*/boot_vga")
    }
  }

  private static func routeDevice(_ root: HostRoot) -> Fact<[String]> {
    switch root.factText(routes) {
    case .failure(let problem): return .unknown(problem.factReason, source: routes)
    case .success(let text):
      let interfaces = text.split(separator: "\n").dropFirst().compactMap { line -> String? in
        let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
        return fields.count > 7 && fields[1] == "00000000" && fields[7] == "00000000" ? String(fields[0]) : nil
      }
      var addresses: [String] = []
      for interface in interfaces {
        let device = "/sys/class/net/\(interface)/device"
        if let path = root.resolve(device), root.exists(device), let address = PCIDevice.address(under: path),
          !addresses.contains(address)
        {
          addresses.append(address)
        }
      }
      return .known(addresses, source: "\(routes), /sys/class/net/*/device")
    }
  }
}
