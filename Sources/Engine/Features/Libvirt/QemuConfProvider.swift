import Editors
import HostConfig

/// The `file["/etc/libvirt/qemu.conf"]` resource: `libvirt.qemu`, through ``QemuConfEditor``
/// with the root's lens. Keys the lens does not declare and values its types refuse are
/// errors placed at their key in host.yaml, with a suggestion; nothing is planned then.
///
/// The effect is the file: libvirt's QEMU driver reads it when the daemon starts, and a plan
/// that writes it restarts that daemon (``DaemonRestartProvider``, docs/libvirt.md).
struct QemuConfProvider: ResourceProvider {
  /// The settings, in the order written.
  var settings: [LibvirtFeature.QemuSetting]
  /// Where each setting's key stands in host.yaml.
  var locations: [String: SourceLocation]

  var origin: String { LibvirtFeature.qemuKey }

  /// Only qemu.conf and the lens are read, both through the root.
  func isTraced(in context: PlanContext) -> Bool { true }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try QemuConfEditor(root: context.host)
    let bytes = context.readFile(QemuConfEditor.path)
    var refused = false
    for setting in settings {
      let keyPath = "\(origin).\(setting.key)"
      guard let type = editor.settings.types[setting.key] else {
        let hint =
          NameSuggestion.nearest(setting.key, in: editor.settings.keys).map { "; did you mean \"\($0)\"?" } ?? ""
        context.report(
          Diagnostic(
            .error, .invalidSpec, "qemu.conf has no setting \"\(setting.key)\"\(hint)",
            detail: "The keys are those libvirt's lens \(QemuConf.lensFile) on the host declares.",
            keyPath: keyPath, location: locations[setting.key]))
        refused = true
        continue
      }
      if case .failure(let problem) = type.accept(setting.value) {
        context.report(
          Diagnostic(
            .error, .invalidSpec, "\(problem)", detail: "qemu.conf's \(setting.key) is a \(type.rawValue).",
            keyPath: keyPath, location: locations[setting.key]))
        refused = true
      }
    }
    guard !refused else { return [] }
    var before: [String] = []
    var differing: [String] = []
    for setting in settings {
      let current = try editor.value(setting.key)
      before.append("\(setting.key)=\(current.map(\.description) ?? "unset")")
      if case .success(let stored) = editor.settings.types[setting.key]!.accept(setting.value), current != stored {
        differing.append(setting.key)
      }
    }
    try editor.set(settings.map { ($0.key, $0.value) })
    let files =
      context.rendersFiles
      ? try editor.pendingChanges().map { FileOperation($0) }
      : editor.changedFiles().map { FileOperation.unrendered(path: $0, before: bytes) }
    var change = ResourceChange(
      ResourceAddress(.file, QemuConfEditor.path), actions: files.map(\.action),
      before: before.joined(separator: " "),
      after: settings.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
      reason: files.isEmpty
        ? "libvirt.qemu matches the file" : "libvirt.qemu sets \(differing.joined(separator: ", "))",
      origin: origin)
    change.operations = files.map(Operation.writeFile)
    return [change]
  }
}
