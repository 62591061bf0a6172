import HostConfig
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
  /// The vendor:device IDs configured for `vfio-pci` (`ids=`): from the kernel command line
  /// (`vfio_pci.ids=`, which wins), else from the modprobe.d files as kmod reads them; `[]`
  /// when none; unknown when no modprobe.d folder exists or a file cannot be read.
  public var vfioIDs: Fact<[String]>

  private enum CodingKeys: String, CodingKey {
    case devices
    case interruptRemapping = "interrupt_remapping"
    case bootDevices = "boot_devices"
    case vfioIDs = "vfio_ids"
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
    vfioIDs = Self.vfioIDs(root)
  }

  private static func vfioIDs(_ root: HostRoot) -> Fact<[String]> {
    let split = { (text: String) in text.split(separator: ",").map { $0.lowercased() } }
    if let line = try? root.factText("/proc/cmdline").get(),
      let ids = CommandLineModules(line.split(whereSeparator: \.isWhitespace).map(String.init)).value("vfio_pci", "ids")
    {
      return .known(split(ids), source: "/proc/cmdline")
    }
    let folders = ModprobeConfiguration.directories.joined(separator: ", ")
    guard ModprobeConfiguration.directories.contains(where: root.isDirectory) else {
      return .unknown("none of \(folders) exists", source: folders)
    }
    do {
      let configuration = try ModprobeConfiguration(root: root)
      guard let found = configuration.value("vfio_pci", "ids") else { return .known([], source: folders) }
      return .known(split(found.value), source: found.file)
    } catch {
      return .unknown(error.description, source: folders)
    }
  }

  /// The device at the address `selector` (`0000:01:00.0`), or those with the IDs `selector`
  /// (`10de:1b80`), in either case (sysfs writes them in lower case).
  public func matching(_ selector: String) -> [PCIDevice] {
    let lower = selector.lowercased()
    return (devices.value ?? []).filter { $0.address == lower || $0.ids == lower }
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
