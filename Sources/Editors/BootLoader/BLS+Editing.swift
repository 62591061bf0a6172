import Augeas
import Foundation
import HostConfig

/// BLS: the `options` line of each selected entry (its GRUB variables kept last, new
/// arguments before them), grubenv's `kernelopts` for entries that reference it (RHEL 8)
/// with `GRUB_CMDLINE_LINUX` and grub.cfg's fallback `set kernelopts=` kept in step, and `/etc/kernel/cmdline` when every entry is
/// selected (kernels installed later take their arguments from it; created where
/// kernel-install would otherwise fall back to `/proc/cmdline`). What tuned owns is never
/// edited: a request tuned already meets is dropped, one that contradicts it refused.
///
/// The boot loader reads the entries itself, so nothing regenerates; on the live host
/// grubenv is set with `grub2-editenv`, and a Proxmox host's ESPs are refreshed with
/// `proxmox-boot-tool refresh`.
extension BLS: BootLoaderFormat {
  /// Where an edit keeps the text of a `/etc/kernel/cmdline` it creates, until it is rendered.
  private static let kernelCmdlineEdit = "/virthost-edits/kernel-cmdline"

  func ensure(_ request: KernelArgsRequest) throws -> Set<String> {
    let request = try withoutTunedArguments(request)
    let selected: [String]
    switch request.entries {
    case .all: selected = orderedEntryFiles
    case .default: selected = defaultEntryFile.map { [$0] } ?? []
    }
    var changed: Set<String> = []
    var usesKernelopts = false
    for file in selected where try bootsLinux(file) {
      let current = try options(file)
      let text = current?.text ?? ""
      let shared = current?.variableNames.contains(GrubEnv.kernelopts) == true
      usesKernelopts = usesKernelopts || shared
      let edited = try tree.editCommandLine(text, file: file, line: current?.line, column: current?.column) {
        (list) throws(AugeasError) in
        if shared {
          // kernelopts carries the request; the entry must not repeat or contradict it.
          try list.removeAbsent(request.absent)
          for key in request.managedKeys { try list.removeKey(key) }
        } else {
          try list.apply(request)
        }
      }
      if edited == text { continue }
      let whole = edited + (current?.variables ?? "")
      if whole.isEmpty {
        try tree.augeas.remove(tree.path(of: file) + "/options")  // Spacevars writes no "options" without a value
      } else {
        try tree.augeas.set(tree.path(of: file) + "/options", whole)
      }
      changed.insert(file)
    }
    if usesKernelopts { changed.formUnion(try ensureKernelopts(request)) }
    if request.entries == .all || isProxmox {
      if let kernelCmdline {
        var list = try ArgumentList(tree: tree.augeas, node: tree.path(of: kernelCmdline))
        try list.apply(request)
        if list.changed { changed.insert(kernelCmdline) }
      } else if usesKernelInstall && !usesKernelopts, let created = try createdKernelCmdline() {
        try tree.augeas.set(Self.kernelCmdlineEdit, created)
        changed.insert(Self.kernelCmdlineName)
      }
    }
    return changed
  }

  /// `request` without the present arguments tuned already sets (satisfied: nothing is
  /// added, so nothing is duplicated).
  /// - Throws: naming tuned's profile and virthost when the request contradicts tuned: a
  ///   present argument tuned sets to another value, an absent one tuned sets.
  private func withoutTunedArguments(_ request: KernelArgsRequest) throws -> KernelArgsRequest {
    guard let tuned else { return request }
    var result = request
    result.present = []
    for wanted in request.present {
      guard let owned = tuned.argument(forKey: wanted.key) else {
        result.present.append(wanted)
        continue
      }
      if owned == wanted { continue }
      throw EditorError(
        message:
          "kernel argument '\(wanted)' (virthost) conflicts with '\(owned)', which \(tuned.owner) sets: virthost does not edit tuned's arguments; change the profile or the desired state"
      )
    }
    for unwanted in request.absent {
      if let owned = tuned.arguments.first(where: {
        $0.key == unwanted.key && (unwanted.value == nil || unwanted.value == $0.value)
      }) {
        throw EditorError(
          message:
            "kernel argument '\(unwanted)' is to be absent (virthost), but \(tuned.owner) sets '\(owned)': virthost does not edit tuned's arguments; change the profile or the desired state"
        )
      }
    }
    return result
  }

  /// Edits grubenv's `kernelopts` (every entry that references it boots with it) and,
  /// when the root has it, `GRUB_CMDLINE_LINUX` in `/etc/default/grub`, from which
  /// `grub2-mkconfig` rebuilds `kernelopts`. The files that change.
  private func ensureKernelopts(_ request: KernelArgsRequest) throws -> Set<String> {
    guard let grubEnv, let value = grubEnv.value(GrubEnv.kernelopts) else {
      let entry = try entriesUsing(GrubEnv.kernelopts).first
      throw EditorError(
        file: entry, line: try entry.flatMap { (file) throws(ConfigFileError) in try options(file)?.line },
        message:
          "options uses $kernelopts, but no grubenv sets kernelopts (looked for \(GrubEnv.names.joined(separator: ", "))): run grub2-mkconfig or grubby once so that it does"
      )
    }
    if request.entries == .default {
      throw EditorError(
        file: grubEnv.file,
        message:
          "the default entry takes its arguments from $kernelopts in grubenv, which every entry shares: select all entries"
      )
    }
    let current = try tree.augeas.get(Self.kerneloptsEdit) ?? value
    let edited = try tree.editCommandLine(current, file: grubEnv.file, line: nil, column: nil) {
      (list) throws(AugeasError) in try list.apply(request)
    }
    var changed: Set<String> = []
    if edited != value {
      try tree.augeas.set(Self.kerneloptsEdit, edited)
      var block = grubEnv
      block.set(GrubEnv.kernelopts, edited)
      _ = try block.rendered()  // refuses, naming the sizes, a block that would not fit
      changed.insert(grubEnv.file)
    }
    changed.formUnion(try KerneloptsFallback.ensure(request, files: kerneloptsFallbackFiles, in: tree))
    if let defaults {
      changed.formUnion(
        try defaults.ensure(KernelArgsRequest(entries: .all, present: request.present, absent: request.absent)))
    }
    return changed
  }

  /// The text of a new `/etc/kernel/cmdline`: the default entry's edited options (without
  /// GRUB variables, which kernel-install's plugins add themselves), or `nil` when there is none.
  private func createdKernelCmdline() throws -> String? {
    guard let file = defaultEntryFile, let options = try options(file) else { return nil }
    let text = options.text.trimmingCharacters(in: .whitespaces)
    return text.isEmpty ? nil : text + "\n"
  }

  func change(outsideTree file: String) throws -> FileChange? {
    if let grubEnv, file == grubEnv.file, let edited = try tree.augeas.get(Self.kerneloptsEdit) {
      var block = grubEnv
      block.set(GrubEnv.kernelopts, edited)
      let before: String?
      do { before = try tree.root.text(file) } catch { throw EditorError(message: "\(file): \(error)") }
      return FileChange(path: file, before: before, after: try block.rendered())
    }
    if file == Self.kernelCmdlineName, kernelCmdline == nil, let created = try tree.augeas.get(Self.kernelCmdlineEdit) {
      return FileChange(path: file, before: nil, after: created)
    }
    if let fallback = try KerneloptsFallback.change(of: file, in: tree) { return fallback }
    if let defaults, defaults.tree.files.contains(file) {
      return FileChange(path: file, before: defaults.tree.text(of: file), after: try defaults.tree.render(file))
    }
    return nil
  }

  func command(for file: String) -> HostCommand? {
    if isProxmox && file == kernelCmdline { return HostCommand(["proxmox-boot-tool", "refresh"], role: .afterWrite) }
    // A fixed, valid path: reading it cannot fail, it is only missing before an edit.
    if let grubEnv, file == grubEnv.file, let edited = (try? tree.augeas.get(Self.kerneloptsEdit)) ?? nil {
      let program = file.hasPrefix("/boot/grub2/") ? "grub2-editenv" : "grub-editenv"
      return HostCommand([program, file, "set", "\(GrubEnv.kernelopts)=\(edited)"], role: .insteadOfWrite)
    }
    return nil
  }
}
