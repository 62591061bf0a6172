import Editors
import Foundation
import HostConfig
import HostFacts
import RootFS

/// `passthrough:`: the files that hand PCI devices to `vfio-pci` at boot, after checking that
/// each device exists, that its IOMMU group holds nothing the host keeps, and that the host does
/// not boot from it (``select(_:_:)``). A device selected by address is bound by address: a udev
/// rule sets its `driver_override` (``VFIOUdevRules``), and where its host driver is built into the
/// next kernel a unit unbinds it (``VFIOBindUnit``); its twins (same IDs) stay with the host.
/// Devices selected by IDs go to `options vfio-pci ids=` (`vfio-pci.ids=` on the command line
/// when vfio-pci is built in), every device with those IDs. One `file[...]` resource per file:
/// `/etc/modules-load.d/virthost-vfio.conf` (the vfio modules not built in),
/// `/etc/modprobe.d/virthost-vfio.conf` (`ids=`, `softdep`, `blacklist`), the udev rules, the
/// unit, and the initramfs inputs; the last file written runs the initramfs tool on the live host.
struct PassthroughProvider: ResourceProvider {
  var passthrough: HostSpec.Passthrough
  /// The next boot's kernel: what is built in.
  var kernel: PassthroughKernel

  var origin: String { "passthrough" }

  static let modulesFile = "/etc/modules-load.d/virthost-vfio.conf"
  static let modprobeFile = "/etc/modprobe.d/virthost-vfio.conf"
  static let dracutFile = "/etc/dracut.conf.d/virthost-vfio.conf"
  /// The files an initramfs carries: writing or restoring one rebuilds the images.
  static let initramfsInputs = [modulesFile, modprobeFile, dracutFile, InitramfsToolsHook.path, VFIOUdevRules.path]
  static let header = "PCI passthrough, written by virthost: these devices go to vfio-pci at boot."

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let pci = PCIFacts(context.host)
    context.observe(
      .live(PCIDevice.folder),
      (pci.devices.value ?? []).map { "\($0.address) \($0.ids) \($0.driver ?? "-")" }.joined(separator: "\n"))
    guard let selection = select(pci, context) else { return [] }
    warnAboutHostDrivers(selection, context)
    let ids = kernel.vfioPCIBuiltIn ? [] : passthrough.selectedIDs
    var lines: [ModprobeLine] =
      ids.isEmpty ? [] : [.options(module: "vfio-pci", parameters: [("ids", ids.joined(separator: ","))])]
    lines += passthrough.hostDrivers.map { .softdep(module: $0, pre: ["vfio-pci"]) }
    lines += passthrough.blacklist.map { .blacklist(module: $0) }
    let editor = try ModprobeEditor(root: context.host)
    if !lines.isEmpty { try editor.set(Self.modprobeFile, header: Self.header, lines: lines) }
    checkEffective(try editor.configuration(), writesIDs: !ids.isEmpty, context)

    let loadable = kernel.loadableModules
    var operations: [FileOperation] = []
    if loadable.isEmpty {
      operations += ownedFile(Self.modulesFile, nil, context)
    } else if let change = try ModulesLoadEditor(root: context.host).change(
      Self.modulesFile, header: Self.header, modules: loadable)
    {
      operations.append(FileOperation(change))
    }
    operations += (try editor.pendingChanges()).map { FileOperation($0) }
    if lines.isEmpty, let current = context.readFile(Self.modprobeFile) {
      operations.append(FileOperation(path: Self.modprobeFile, before: current, after: nil))
    }
    let rules = ruleEntries(selection, context)
    operations += ownedFile(VFIOUdevRules.path, rules.isEmpty ? nil : VFIOUdevRules.text(rules), context)
    operations += ownedFile(
      VFIOBindUnit.path, rules.contains(where: \.unbinds) ? VFIOBindUnit.text : nil, context)
    let tool = InitramfsTool.detect(context.host)
    if tool == .dracut,
      let change = try DracutConfEditor(root: context.host).change(
        Self.dracutFile, header: Self.header, forceDrivers: loadable)
    {
      operations.append(FileOperation(change))
    }
    if tool == .updateInitramfs {
      if loadable.isEmpty && rules.isEmpty {
        operations += ownedFile(InitramfsToolsHook.path, nil, context)
      } else if let hook = hookOperation(loadable, rules: !rules.isEmpty, context) {
        operations.append(hook)
      }
    }
    if tool == nil {
      context.report(
        Diagnostic(
          .warning, .initramfs, "no initramfs tool found (update-initramfs, dracut, mkinitcpio)",
          detail:
            "vfio-pci then loads from the root file system: a host driver in the initramfs may take the devices first.",
          keyPath: origin))
    }
    let inputs =
      [Self.modulesFile, Self.modprobeFile, VFIOUdevRules.path] + (tool == .dracut ? [Self.dracutFile] : [])
      + (tool == .updateInitramfs ? [InitramfsToolsHook.path] : [])
    for path in inputs { _ = context.readFile(path) }
    if let tool, let last = operations.lastIndex(where: { Self.initramfsInputs.contains($0.path) }) {
      operations[last].command = tool.command
    }
    let summary = summary(selection, ids: ids)
    let address = ResourceAddress(.file, rules.isEmpty ? Self.modprobeFile : VFIOUdevRules.path)
    let converged = ResourceChange(
      address, actions: [], before: summary, after: summary, reason: "the devices go to vfio-pci at boot already",
      origin: origin)
    if operations.isEmpty { reportEffects(selection, files: inputs, at: address, context) }
    if operations.isEmpty, let tool, let stale = Self.staleImages(context.host, than: inputs) {
      var change = ResourceChange(
        ResourceAddress(.initramfsRegeneration, tool.rawValue), actions: [.update],
        before: "older than the vfio files: \(stale.joined(separator: ", "))",
        after: "rebuilt by \(tool.command.shown)",
        reason:
          "pending regeneration: the initramfs must carry \(Self.modprobeFile) for vfio-pci to take the devices first",
        origin: origin)
      change.operations = [.runAfterFiles(tool.command)]
      return [converged, change]
    }
    guard !operations.isEmpty else { return [converged] }
    let devices = selection.all.map { "\($0.address) [\($0.ids)]" }.joined(separator: ", ")
    return operations.map { operation in
      var change = ResourceChange(
        ResourceAddress(.file, operation.path), actions: [operation.action],
        before: operation.before == nil ? "absent" : "other contents",
        after: after(operation, selection, ids: ids, loadable: loadable),
        reason: "passthrough hands \(devices) to vfio-pci"
          + (operation.command.map { "; then \($0.shown) rebuilds the initramfs" } ?? ""),
        origin: origin)
      change.operations = [.writeFile(operation)]
      return change
    }
  }

  /// What one file holds after the change, in words.
  private func after(_ operation: FileOperation, _ selection: Selection, ids: [String], loadable: [String]) -> String {
    if operation.after == nil { return "absent" }
    switch operation.path {
    case Self.modprobeFile:
      return ids.isEmpty ? "softdep and blacklist lines" : "vfio-pci ids=\(ids.joined(separator: ","))"
    case VFIOUdevRules.path: return "vfio-pci by address: " + selection.byAddress.map(\.address).joined(separator: ",")
    case VFIOBindUnit.path: return "unbinds a device from its built-in host driver"
    default: return "vfio modules: \(loadable.joined(separator: " "))"
    }
  }

  /// `vfio-pci by address: 0000:01:00.0; vfio-pci ids=10de:10f0`.
  private func summary(_ selection: Selection, ids: [String]) -> String {
    var parts: [String] = []
    if !selection.byAddress.isEmpty {
      parts.append("vfio-pci by address: " + selection.byAddress.map(\.address).joined(separator: ","))
    }
    if !ids.isEmpty { parts.append("vfio-pci ids=\(ids.joined(separator: ","))") }
    if kernel.vfioPCIBuiltIn, !passthrough.selectedIDs.isEmpty {
      parts.append("vfio-pci.ids=\(passthrough.selectedIDs.joined(separator: ",")) (built-in vfio-pci)")
    }
    return parts.isEmpty ? "no devices" : parts.joined(separator: "; ")
  }

  /// The operation that makes virthost's own file `path` hold `text` (`nil`: absent), when it does not.
  private func ownedFile(_ path: String, _ text: String?, _ context: PlanContext) -> [FileOperation] {
    let current = context.readFile(path)
    let wanted = text.map { Data($0.utf8) }
    return current == wanted ? [] : [FileOperation(path: path, before: current, after: wanted)]
  }

  /// The hook that makes initramfs-tools load `modules` first (``InitramfsToolsHook``), when
  /// it is not there as wanted; a hook that is there but not executable is reported, as
  /// initramfs-tools skips it.
  private func hookOperation(_ modules: [String], rules: Bool, _ context: PlanContext) -> FileOperation? {
    let path = InitramfsToolsHook.path
    let current = context.readFile(path)
    let wanted = Data(InitramfsToolsHook.text(modules, rules: rules).utf8)
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
}
