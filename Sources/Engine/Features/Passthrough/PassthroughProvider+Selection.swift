import Editors
import Foundation
import HostConfig
import HostFacts
import RootFS

/// Which devices `passthrough:` moves, and whether it may: a device named by address moves
/// alone; IDs move every device that has them (twins included). Each one that moves must not be
/// one the host boots from, and every other member of its IOMMU group must be passed through
/// too, be a PCI bridge, or be unbound or on `vfio-pci` already.
extension PassthroughProvider {
  /// The devices that move, by how they are selected.
  struct Selection {
    /// The devices named by address, in selector order.
    var byAddress: [PCIDevice]
    /// Every device with IDs a selector names, in selector order.
    var byIDs: [PCIDevice]
    /// The devices that share the IDs of a device named by address and are not selected: they stay.
    var twins: [PCIDevice]

    /// Every device that moves, each once.
    var all: [PCIDevice] {
      (byAddress + byIDs).reduce(into: []) { list, device in
        if !list.contains(where: { $0.address == device.address }) { list.append(device) }
      }
    }
  }

  /// The drivers a device's IOMMU group may hold beside the devices that move (the kernel's
  /// vfio lets a group be used with these: vfio-pci itself and pci-stub).
  static let groupSafeDrivers: Set<String> = ["vfio-pci", "pci-stub"]

  /// The devices the selectors name, or `nil` after reporting each one that cannot be passed through.
  func select(_ pci: PCIFacts, _ context: PlanContext) -> Selection? {
    guard let all = pci.devices.value else {
      context.report(
        Diagnostic(
          .error, .passthroughDevice, "cannot check the devices: \(pci.devices.unknown ?? "")",
          keyPath: "passthrough.devices"))
      return nil
    }
    var failed = false
    var selection = Selection(byAddress: [], byIDs: [], twins: [])
    for selector in passthrough.devices {
      let found = pci.matching(selector)
      if found.isEmpty {
        failed = true
        let kind = ModuleOptionRules.isIDs(selector) ? "IDs" : "address"
        // A typo in IDs is worth a suggestion; an address one digit off is another slot, not a typo.
        let ids = Array(Set(all.map(\.ids))).sorted()
        let hint =
          ModuleOptionRules.isIDs(selector)
          ? NameSuggestion.nearest(selector, in: ids).map { "; did you mean \($0)?" } ?? "" : ""
        context.report(
          Diagnostic(
            .error, .passthroughDevice, "no PCI device has the \(kind) \(selector)\(hint)",
            detail: "\(PCIDevice.folder) lists \(all.count) devices; `virthost facts` shows them.",
            keyPath: "passthrough.devices.\(selector)"))
      }
      for device in found {
        if ModuleOptionRules.isIDs(selector) {
          if !selection.byIDs.contains(device) { selection.byIDs.append(device) }
        } else if !selection.byAddress.contains(device) {
          selection.byAddress.append(device)
        }
      }
    }
    let moving = selection.all
    let chosen = Set(moving.map(\.address))
    selection.twins = all.filter { device in
      !chosen.contains(device.address) && selection.byAddress.contains { $0.ids == device.ids }
    }
    for device in moving {
      let selector = passthrough.devices.first { pci.matching($0).contains(device) } ?? device.address
      let key = "passthrough.devices.\(selector)"
      if let boot = pci.bootDevices.all.first(where: { $0.address == device.address }) {
        failed = true
        let matches = pci.matching(selector).count
        let why =
          ModuleOptionRules.isIDs(selector) && matches > 1
          ? " (\(selector) selects all \(matches) devices with these IDs; name the others by address)" : ""
        context.report(
          Diagnostic(
            .error, .passthroughDevice, "\(device.address) [\(device.ids)] is \(boot.role): the host needs it\(why)",
            detail: "Passing it through would take it from the running host at the next boot.", keyPath: key))
      }
      guard let group = device.iommuGroup else {
        // The plan turns the IOMMU on (passthrough implies it): the groups exist after the reboot,
        // when `virthost check` reports a device that vfio-pci could not take.
        context.report(
          Diagnostic(
            .warning, .passthroughDevice,
            "\(device.address) is in no IOMMU group yet (the IOMMU is off): its group is checked after the reboot",
            detail:
              "Run `virthost check` after the reboot: the PCI passthrough check fails for a device not on vfio-pci.",
            keyPath: key))
        continue
      }
      let foreign = device.groupPeers.compactMap { peer -> String? in
        let other = all.first { $0.address == peer }
        if chosen.contains(peer) || (other?.pciClass?.isBridge ?? false) { return nil }
        if let other, other.driver.map(Self.groupSafeDrivers.contains) ?? true { return nil }
        return "\(peer) [\(other?.ids ?? "?")]" + (other?.driver.map { " (\($0))" } ?? "")
      }
      if !foreign.isEmpty {
        failed = true
        context.report(
          Diagnostic(
            .error, .passthroughDevice,
            "\(device.address)'s IOMMU group \(group) also holds \(foreign.joined(separator: ", ")), which stays with the host",
            detail:
              "A guest gets a whole IOMMU group: pass those devices through too, or move the card to another slot.",
            keyPath: key))
      }
    }
    return failed ? nil : selection
  }

  /// Warnings for a device that may not reach vfio-pci first: one selected by IDs and bound now
  /// to a driver `host_drivers` does not name; one selected by address whose host driver is
  /// built into the next kernel (it owns the device until the unbind unit runs).
  func warnAboutHostDrivers(_ selection: Selection, _ context: PlanContext) {
    for device in selection.byIDs where !selection.byAddress.contains(device) {
      if let driver = device.driver, driver != "vfio-pci",
        !passthrough.hostDrivers.contains(where: { ModuleOptionRules.sameModule($0, driver) })
      {
        context.report(
          Diagnostic(
            .warning, .passthroughDevice,
            "\(device.address) is bound to \(driver) now, which passthrough.host_drivers does not name",
            detail: "If \(driver) is loaded before vfio-pci at boot it takes the device; add it to host_drivers.",
            keyPath: "passthrough.host_drivers"))
      }
    }
    for device in selection.byAddress {
      guard let driver = device.driver, driver != "vfio-pci", kernel.isBuiltIn(driver: driver) == true else { continue }
      context.report(
        Diagnostic(
          .warning, .passthroughDevice,
          "\(device.address)'s host driver \(driver) is built into \(kernel.release ?? "the next kernel"): "
            + "it owns the device from boot until \(VFIOBindUnit.name(device.address)) unbinds it (before basic.target)",
          detail:
            "A built-in driver binds before any udev rule; the unit then hands the device to vfio-pci, as driverctl does.",
          keyPath: "passthrough.devices.\(device.address)"))
    }
  }

  /// The udev rules for the devices selected by address: each unbinds when its host driver is
  /// built into the next kernel, or (bound to vfio-pci or nothing now, its host driver unknown)
  /// when the rule in place says so.
  func ruleEntries(_ selection: Selection, _ context: PlanContext) -> [VFIOUdevRules.Entry] {
    let earlier = context.readFile(VFIOUdevRules.path).map {
      VFIOUdevRules.entries(in: String(decoding: $0, as: UTF8.self))
    }
    return selection.byAddress.map { device in
      let unbinds: Bool
      if let driver = device.driver, driver != "vfio-pci" {
        unbinds = kernel.isBuiltIn(driver: driver) == true
      } else {
        unbinds = earlier?.contains { $0.address == device.address && $0.unbinds } ?? false
      }
      return VFIOUdevRules.Entry(address: device.address, unbinds: unbinds)
    }
  }

  /// With the files as wanted, what the running host shows: each device that moves on vfio-pci
  /// and no twin on it. A difference is pending (a reboot-required note on `address`) while the
  /// files are newer than the boot (`/proc/stat`'s `btime`), or when that is unknown; once the
  /// host has booted with them, the effect differs.
  func reportEffects(_ selection: Selection, files: [String], at address: ResourceAddress, _ context: PlanContext) {
    var wrong: [(device: PCIDevice, problem: String)] = []
    for device in selection.all where device.driver != "vfio-pci" {
      wrong.append(
        (device, "\(device.address) [\(device.ids)] is bound to \(device.driver ?? "no driver"), not vfio-pci"))
    }
    for twin in selection.twins where twin.driver == "vfio-pci" {
      let named = selection.byAddress.filter { $0.ids == twin.ids }.map(\.address).joined(separator: ", ")
      wrong.append((twin, "\(twin.address) [\(twin.ids)] is bound to vfio-pci, though only \(named) is selected"))
    }
    guard !wrong.isEmpty else { return }
    let newest = files.compactMap { context.host.status($0)?.modified }.max()
    let booted = BootTime.read(context.host)
    let carried = newest.flatMap { newest in booted.map { newest / 1_000_000_000 < $0 } } ?? false
    for (device, problem) in wrong {
      let selector = passthrough.devices.first { $0.lowercased() == device.address || $0.lowercased() == device.ids }
      if carried {
        context.report(
          Diagnostic(
            .warning, .effectDiffers,
            "\(problem) (\(PCIDevice.folder)/\(device.address)/driver), though the vfio files predate the boot",
            detail:
              "Something bound it first: an initramfs older than the files, or a driver built in; see virthost facts.",
            keyPath: "passthrough.devices" + (selector.map { ".\($0)" } ?? "")))
      } else {
        context.report(
          Diagnostic(
            .note, .rebootRequired, "reboot required: \(problem) until the host boots with the vfio files",
            detail: "The files are in place; the devices change drivers at the next boot.", address: address,
            keyPath: "passthrough"))
      }
    }
  }

  /// Errors for what outranks the planned file: a later modprobe.d file's `ids=` (when virthost
  /// writes one), a blacklist or `install` of vfio-pci, and the running kernel's command line.
  func checkEffective(_ configuration: ModprobeConfiguration, writesIDs: Bool, _ context: PlanContext) {
    if writesIDs, let winner = configuration.value("vfio_pci", "ids"), winner.file != Self.modprobeFile {
      context.report(
        Diagnostic(
          .error, .moduleConfigConflict,
          "\(winner.file) sets vfio-pci ids=\(winner.value) and is read after \(Self.modprobeFile): its value wins",
          detail: "Remove that line, or list the devices there.", keyPath: "passthrough.devices"))
    }
    for entry in configuration.blocking("vfio_pci") {
      context.report(
        Diagnostic(
          .error, .moduleConfigConflict, "\(entry.file) keeps vfio-pci from loading (\(entry.kind) vfio-pci)",
          keyPath: "passthrough.devices"))
    }
    let line = CommandLineModules((context.profile.runningCommandLine ?? "").split(separator: " ").map(String.init))
    if line.blacklisted.contains("vfio_pci") {
      context.report(
        Diagnostic(
          .error, .moduleConfigConflict,
          "the kernel command line has modprobe.blacklist=vfio_pci, which wins over every file",
          keyPath: "passthrough.devices"))
    }
    if let ids = line.value("vfio_pci", "ids"), !kernel.vfioPCIBuiltIn {
      context.report(
        Diagnostic(
          .warning, .moduleConfigConflict,
          "the kernel command line has vfio-pci.ids=\(ids), which wins over \(Self.modprobeFile)",
          keyPath: "passthrough.devices"))
    }
  }
}
