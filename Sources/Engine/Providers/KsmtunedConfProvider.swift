import Editors

/// The `file["/etc/ksmtuned.conf"]` resource: `ksm.settings`, through ``KsmtunedConfEditor``.
struct KsmtunedConfProvider: ResourceProvider {
  /// The settings, in the desired file's order; names are ``KsmtunedSetting`` raw values.
  var settings: [HostSpec.Setting]

  var origin: String { "ksm.settings" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try KsmtunedConfEditor(root: context.rootPath)
    let bytes = context.readFile(KsmtunedConfEditor.path)
    let current = try editor.values()
    var wanted: [KsmtunedSetting: String] = [:]
    var before: [String] = []
    var differing: [String] = []
    for setting in settings {
      guard let key = KsmtunedSetting(rawValue: setting.name) else { continue }
      wanted[key] = setting.value
      let inFile = current[key]?.inFile
      before.append("\(setting.name)=\(inFile ?? "unset")")
      if inFile != setting.value { differing.append(setting.name) }
    }
    try editor.set(wanted)
    let files =
      context.rendersFiles
      ? try editor.pendingChanges().map { FileOperation($0) }
      : editor.changedFiles().map { FileOperation.unrendered(path: $0, before: bytes) }
    let reason: String
    if files.isEmpty {
      reason = "ksm.settings match the file"
    } else if !editor.exists {
      reason = "ksm.settings asks for \(settings.map(\.name).joined(separator: ", ")); the file does not exist"
    } else {
      reason =
        "ksm.settings sets \(differing.isEmpty ? "the same values in their own lines" : differing.joined(separator: ", "))"
    }
    var change = ResourceChange(
      ResourceAddress(.file, KsmtunedConfEditor.path), actions: files.map(\.action),
      before: editor.exists ? before.joined(separator: " ") : "absent",
      after: settings.map { "\($0.name)=\($0.value)" }.joined(separator: " "), reason: reason, origin: origin)
    change.files = files
    return [change]
  }
}
