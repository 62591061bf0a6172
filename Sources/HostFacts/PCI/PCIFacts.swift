import RootFS

/// The PCI devices and what passthrough needs to know of them: each device's IDs, class,
/// driver and IOMMU group (``PCIDevice``), whether interrupts are remapped, and the devices
/// the host boots from (``BootDevices``).
public struct PCIFacts: Sendable, Codable, Equatable {
  /// The devices in `/sys/bus/pci/devices`, by address.
  public var devices: Fact<[PCIDevice]>
  /// Whether the IOMMU remaps interrupts (safe device assignment without
  /// `allow_unsafe_interrupts`), from the boot log's words.
  public var interruptRemapping: Fact<Bool>
  /// The devices the host needs to boot and be reached.
  public var bootDevices: BootDevices

  private enum CodingKeys: String, CodingKey {
    case devices
    case interruptRemapping = "interrupt_remapping"
    case bootDevices = "boot_devices"
  }

  /// Reads the PCI facts under `root`, the boot log as ``KernelRingBuffer/bootLog(_:)`` gives it.
  public init(_ root: HostRoot) {
    let folder = PCIDevice.folder
    switch root.factEntries(folder) {
    case .failure(let problem): devices = .unknown(problem.factReason, source: folder)
    case .success(let names):
      devices = .known(names.compactMap { PCIDevice(root, address: $0) }, source: folder)
    }
    interruptRemapping = Self.remapping(KernelRingBuffer.bootLog(root))
    bootDevices = BootDevices(root, devices: devices.value ?? [])
  }

  /// The device at `address`, or those with the IDs `ids` (`10de:1b80`).
  public func matching(_ selector: String) -> [PCIDevice] {
    (devices.value ?? []).filter { $0.address == selector || $0.ids == selector.lowercased() }
  }

  /// The boot log's words for interrupt remapping on (Intel `DMAR-IR: Enabled IRQ remapping`,
  /// AMD `AMD-Vi: Interrupt remapping enabled`) and off.
  private static func remapping(_ log: Fact<[String]>) -> Fact<Bool> {
    guard let lines = log.value else { return .unknown(log.unknown ?? "no boot log", source: log.source) }
    let on = ["Enabled IRQ remapping", "Interrupt remapping enabled"]
    let off = ["IRQ remapping was disabled", "Not enabling interrupt remapping", "Failed to enable irq remapping"]
    if lines.contains(where: { line in off.contains { line.contains($0) } }) {
      return .known(false, source: log.source)
    }
    if lines.contains(where: { line in on.contains { line.contains($0) } }) { return .known(true, source: log.source) }
    return .unknown("\(log.source) does not say whether interrupts are remapped", source: log.source)
  }
}
