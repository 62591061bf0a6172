import Editors
import Foundation
import HostConfig
import HostFacts
import RootFS

/// `passthrough:`: the files that hand PCI devices to `vfio-pci` at boot, after checking that
/// each device exists, that its IOMMU group holds nothing the host keeps, and that the host does
/// not boot from it. One `file[...]` resource per file: `/etc/modules-load.d/virthost-vfio.conf`
/// (the vfio modules not built in), `/etc/modprobe.d/virthost-vfio.conf` (`options vfio-pci ids=`,
/// `softdep`, `blacklist`), on a dracut host `/etc/dracut.conf.d/virthost-vfio.conf`; the last
/// file written runs the initramfs tool on the live host (pending elsewhere).
struct PassthroughProvider: ResourceProvider {
  var passthrough: HostSpec.Passthrough

  var origin: String { "passthrough" }

  static let modulesFile = "/etc/modules-load.d/virthost-vfio.conf"
  static let modprobeFile = "/etc/modprobe.d/virthost-vfio.conf"
  static let dracutFile = "/etc/dracut.conf.d/virthost-vfio.conf"
  /// The files an initramfs carries: writing or restoring one rebuilds the images.
  static let initramfsInputs = [modulesFile, modprobeFile, dracutFile, InitramfsToolsHook.path]
  static let header = "PCI passthrough, written by virthost: these devices go to vfio-pci at boot."
  /// The modules vfio-pci needs, with the kernel configuration option that builds each.
  static let modules = [
    ("vfio", "CONFIG_VFIO"), ("vfio_iommu_type1", "CONFIG_VFIO_IOMMU_TYPE1"), ("vfio_pci", "CONFIG_VFIO_PCI"),
  ]

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let pci = PCIFacts(context.host)
    context.observe(
      .live(PCIDevice.folder),
      (pci.devices.value ?? []).map { "\($0.address) \($0.ids) \($0.driver ?? "-")" }.joined(separator: "\n"))
    guard let selected = select(pci, context) else { return [] }
    let ids = selected.reduce(into: [String]()) { if !$0.contains($1.ids) { $0.append($1.ids) } }
    for device in selected {
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
    var lines: [ModprobeLine] = [.options(module: "vfio-pci", parameters: [("ids", ids.joined(separator: ","))])]
    lines += passthrough.hostDrivers.map { .softdep(module: $0, pre: ["vfio-pci"]) }
    lines += passthrough.blacklist.map { .blacklist(module: $0) }
    let editor = try ModprobeEditor(root: context.host)
    try editor.set(Self.modprobeFile, header: Self.header, lines: lines)
    checkEffective(try editor.configuration(), context)

    let kernel = KernelFacts(root: context.host)
    let loadable = Self.modules.filter { kernel.config($0.1).value != "y" }.map(\.0)
    var fileChanges: [FileChange] = []
    if let change = try ModulesLoadEditor(root: context.host).change(
      Self.modulesFile, header: Self.header, modules: loadable)
    {
      fileChanges.append(change)
    }
    fileChanges += try editor.pendingChanges()
    let tool = InitramfsTool.detect(context.host)
    if tool == .dracut,
      let change = try DracutConfEditor(root: context.host).change(
        Self.dracutFile, header: Self.header, forceDrivers: loadable)
    {
      fileChanges.append(change)
    }
    var operations = fileChanges.map { FileOperation($0) }
    if tool == .updateInitramfs, let hook = hookOperation(loadable, context) { operations.append(hook) }
    if tool == nil {
      context.report(
        Diagnostic(
          .warning, .initramfs, "no initramfs tool found (update-initramfs, dracut, mkinitcpio)",
          detail:
            "vfio-pci then loads from the root file system: a host driver in the initramfs may take the devices first.",
          keyPath: origin))
    }
    for path in [Self.modulesFile, Self.modprobeFile] + (tool == .dracut ? [Self.dracutFile] : []) {
      _ = context.readFile(path)
    }
    if let tool, !operations.isEmpty { operations[operations.count - 1].command = tool.command }
    let summary = "vfio-pci ids=\(ids.joined(separator: ","))"
    if operations.isEmpty, let tool,
      let stale = Self.staleImages(
        context.host,
        than: [Self.modulesFile, Self.modprobeFile] + (tool == .updateInitramfs ? [InitramfsToolsHook.path] : []))
    {
      var change = ResourceChange(
        ResourceAddress(.initramfsRegeneration, tool.rawValue), actions: [.update],
        before: "older than the vfio files: \(stale.joined(separator: ", "))",
        after: "rebuilt by \(tool.command.shown)",
        reason:
          "pending regeneration: the initramfs must carry \(Self.modprobeFile) for vfio-pci to take the devices first",
        origin: origin)
      change.files = []
      return [
        ResourceChange(
          ResourceAddress(.file, Self.modprobeFile), actions: [], before: summary, after: summary,
          reason: "the devices go to vfio-pci at boot already", origin: origin),
        change,
      ]
    }
    guard !operations.isEmpty else {
      return [
        ResourceChange(
          ResourceAddress(.file, Self.modprobeFile), actions: [], before: summary, after: summary,
          reason: "the devices go to vfio-pci at boot already", origin: origin)
      ]
    }
    return operations.map { operation in
      let devices = selected.map { "\($0.address) [\($0.ids)]" }.joined(separator: ", ")
      var change = ResourceChange(
        ResourceAddress(.file, operation.path), actions: [operation.action],
        before: operation.before == nil ? "absent" : "other contents",
        after: operation.path == Self.modprobeFile ? summary : "vfio modules: \(loadable.joined(separator: " "))",
        reason: "passthrough hands \(devices) to vfio-pci"
          + (operation.command.map { "; then \($0.shown) rebuilds the initramfs" } ?? ""),
        origin: origin)
      change.files = [operation]
      return change
    }
  }

  /// The hook that makes initramfs-tools load `modules` first (``InitramfsToolsHook``), when
  /// it is not there as wanted; a hook that is there but not executable is reported, as
  /// initramfs-tools skips it.
  private func hookOperation(_ modules: [String], _ context: PlanContext) -> FileOperation? {
    let path = InitramfsToolsHook.path
    let current = context.readFile(path)
    let wanted = Data(InitramfsToolsHook.text(modules).utf8)
    if current == wanted {
      if let mode = context.host.status(path)?.mode, mode & 0o111 == 0 {
        context.report(
          Diagnostic(
            .warning, .initramfs, "\(path) is not executable: initramfs-tools skips it",
            detail: "Make it executable (chmod 755) and run update-initramfs -u -k all.", keyPath: origin))
      }
      return nil
    }
    return FileOperation(path: path, before: current, after: wanted, mode: InitramfsToolsHook.mode)
  }

  /// The initramfs images under `/boot` (`initrd.img-*`, `initramfs-*.img`, kdump's left out)
  /// last changed before the newest of `files`; `nil` when none is (or there is no image).
  static func staleImages(_ root: HostRoot, than files: [String]) -> [String]? {
    guard let newest = files.compactMap({ root.status($0)?.modified }).max() else { return nil }
    let images = root.listIfPresent("/boot").filter { name in
      (name.hasPrefix("initrd.img-") || (name.hasPrefix("initramfs-") && name.hasSuffix(".img")))
        && !name.contains("kdump")
    }
    let stale = images.filter { (root.status("/boot/\($0)")?.modified ?? Int.max) < newest }.map { "/boot/\($0)" }
    return stale.isEmpty ? nil : stale
  }

  /// The devices the selectors name, or `nil` after reporting each one that cannot be passed through.
  private func select(_ pci: PCIFacts, _ context: PlanContext) -> [PCIDevice]? {
    guard let all = pci.devices.value else {
      context.report(
        Diagnostic(
          .error, .passthroughDevice, "cannot check the devices: \(pci.devices.unknown ?? "")",
          keyPath: "passthrough.devices"))
      return nil
    }
    var failed = false
    var selected: [PCIDevice] = []
    for selector in passthrough.devices {
      let key = "passthrough.devices.\(selector)"
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
            detail: "\(PCIDevice.folder) lists \(all.count) devices; `virthost facts` shows them.", keyPath: key))
      }
      for device in found where !selected.contains(where: { $0.address == device.address }) {
        selected.append(device)
      }
    }
    let chosen = Set(selected.map(\.address))
    for device in selected {
      let key =
        "passthrough.devices.\(passthrough.devices.first { pci.matching($0).contains(device) } ?? device.address)"
      if let boot = pci.bootDevices.all.first(where: { $0.address == device.address }) {
        failed = true
        context.report(
          Diagnostic(
            .error, .passthroughDevice, "\(device.address) [\(device.ids)] is \(boot.role): the host needs it",
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
      let foreign = device.groupPeers.filter { peer in
        !chosen.contains(peer) && !(all.first { $0.address == peer }?.pciClass?.isBridge ?? false)
      }
      if !foreign.isEmpty {
        failed = true
        let named = foreign.map { peer in
          let other = all.first { $0.address == peer }
          return "\(peer) [\(other?.ids ?? "?")]" + (other?.driver.map { " (\($0))" } ?? "")
        }
        context.report(
          Diagnostic(
            .error, .passthroughDevice,
            "\(device.address)'s IOMMU group \(group) also holds \(named.joined(separator: ", ")), which stays with the host",
            detail:
              "A guest gets a whole IOMMU group: pass those devices through too, or move the card to another slot.",
            keyPath: key))
      }
    }
    return failed ? nil : selected
  }

  /// Errors for what outranks the planned file: a later modprobe.d file's `ids=`, a blacklist or
  /// `install` of vfio-pci, and the running kernel's command line.
  private func checkEffective(_ configuration: ModprobeConfiguration, _ context: PlanContext) {
    if let winner = configuration.value("vfio_pci", "ids"), winner.file != Self.modprobeFile {
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
    if let ids = line.value("vfio_pci", "ids") {
      context.report(
        Diagnostic(
          .warning, .moduleConfigConflict,
          "the kernel command line has vfio-pci.ids=\(ids), which wins over \(Self.modprobeFile)",
          keyPath: "passthrough.devices"))
    }
  }
}
