import Foundation

/// The gpu-passthrough example's Z390 desktop with a dual-port Intel X710 added, the two
/// functions twins by their IDs (`8086:1572`, class `0200`, driver `i40e`), each in its own
/// IOMMU group (ACS on the CPU's root port 0000:3a:00.0): 0000:3b:00.0 is free for a guest,
/// 0000:3b:00.1 (`ens1f1`) carries the default route.
public struct TwinNICHost {
  /// The copy of the root.
  public let root: FixtureRoot

  /// Copies the example's root and adds the card.
  public init() throws {
    root = try FixtureRoot("examples/gpu-passthrough/root")
    try add("0000:3b:00.0", group: "14", interface: "ens1f0")
    try add("0000:3b:00.1", group: "15", interface: "ens1f1")
    // The desktop's TAP device node, which the example's root leaves out (a readiness FAIL otherwise).
    try root.write("/dev/net/tun", "")
    try root.write(
      "/proc/net/route",
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        + "ens1f1\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n")
  }

  /// The device's sysfs folder.
  public static func folder(_ address: String) -> String { "/sys/devices/pci0000:3a/0000:3a:00.0/\(address)" }

  private func add(_ address: String, group: String, interface: String) throws {
    let folder = Self.folder(address)
    try root.write("\(folder)/vendor", "0x8086\n")
    try root.write("\(folder)/device", "0x1572\n")
    try root.write("\(folder)/class", "0x020000\n")
    try root.write("\(folder)/net/\(interface)/address", "3c:fd:fe:00:00:0\(address.last!)\n")
    try root.link("/sys/bus/pci/devices/\(address)", to: folder)
    try root.link("\(folder)/net/\(interface)/device", to: folder)
    try root.link("/sys/class/net/\(interface)", to: "\(folder)/net/\(interface)")
    try bind(address, to: "i40e")
    try root.write("/sys/kernel/iommu_groups/\(group)/type", "DMA\n")
    try FileManager.default.createDirectory(
      atPath: root.path + "/sys/kernel/iommu_groups/\(group)/devices", withIntermediateDirectories: true)
    try root.link("/sys/kernel/iommu_groups/\(group)/devices/\(address)", to: folder)
    try root.link("\(folder)/iommu_group", to: "/sys/kernel/iommu_groups/\(group)")
  }

  /// Binds the device at `address` to `driver` (`nil`: unbinds it), as the kernel shows it.
  public func bind(_ address: String, to driver: String?) throws {
    let link = root.path + Self.folder(address) + "/driver"
    try? FileManager.default.removeItem(atPath: link)
    guard let driver else { return }
    try FileManager.default.createDirectory(
      atPath: root.path + "/sys/bus/pci/drivers/\(driver)", withIntermediateDirectories: true)
    try root.link(Self.folder(address) + "/driver", to: "/sys/bus/pci/drivers/\(driver)")
  }

  /// The host "booted" after the files were written: `/proc/stat`'s `btime` an hour from now.
  public func bootAfterTheFiles() throws {
    try root.write("/proc/stat", "cpu  0 0 0 0 0 0 0 0 0 0\nbtime \(Int(Date().timeIntervalSince1970) + 3600)\n")
  }

  /// The host booted before the files were written: `btime` an hour ago.
  public func bootBeforeTheFiles() throws {
    try root.write("/proc/stat", "cpu  0 0 0 0 0 0 0 0 0 0\nbtime \(Int(Date().timeIntervalSince1970) - 3600)\n")
  }
}
