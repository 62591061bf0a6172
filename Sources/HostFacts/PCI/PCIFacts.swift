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
  /// The addresses virthost's udev rule binds to `vfio-pci` (``VFIOUdevRules``); `[]` without the file.
  public var vfioAddresses: Fact<[String]>
  /// Each device the two select, and each twin of a device selected by address.
  public var passthrough: [PassthroughDevice]
  /// Whether the host booted after the newest vfio configuration file was written (`/proc/stat`'s
  /// `btime` against the files' times): only then does a device on the wrong driver differ
  /// from the configuration, rather than wait for the boot.
  public var bootedWithVFIOConfiguration: Fact<Bool>

  private enum CodingKeys: String, CodingKey {
    case devices
    case interruptRemapping = "interrupt_remapping"
    case bootDevices = "boot_devices"
    case vfioIDs = "vfio_ids"
    case vfioAddresses = "vfio_addresses"
    case passthrough
    case bootedWithVFIOConfiguration = "booted_with_vfio_configuration"
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
    vfioAddresses = Self.vfioAddresses(root)
    passthrough = PassthroughDevice.list(
      devices.value ?? [], addresses: vfioAddresses.value ?? [], ids: vfioIDs.value ?? [], boot: bootDevices)
    bootedWithVFIOConfiguration = Self.booted(root, after: [VFIOUdevRules.path, vfioIDs.source])
  }

  private static func vfioAddresses(_ root: HostRoot) -> Fact<[String]> {
    let path = VFIOUdevRules.path
    switch root.factText(path) {
    case .failure(let problem) where root.exists(path): return .unknown(problem.factReason, source: path)
    case .failure where !root.isDirectory("/etc/udev"): return .unknown("/etc/udev not found", source: path)
    case .failure: return .known([], source: path)
    case .success(let text): return .known(VFIOUdevRules.entries(in: text).map(\.address), source: path)
    }
  }

  /// Whether the kernel booted (`btime`) after the newest of `files` that exist was last changed.
  private static func booted(_ root: HostRoot, after files: [String]) -> Fact<Bool> {
    let present = files.filter { root.status($0) != nil }
    let source = "/proc/stat btime, " + (present.isEmpty ? files[0] : present.joined(separator: ", "))
    guard let written = present.compactMap({ root.status($0)?.modified }).max() else {
      return .unknown("no vfio configuration file", source: source)
    }
    guard let booted = BootTime.read(root) else { return .unknown("/proc/stat has no btime", source: source) }
    return .known(written / 1_000_000_000 < booted, source: source)
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
