import Editors
import KSMConfig
import RootFS

/// The `file["/etc/ksmtuned.conf"]` resource: `ksm.settings`, through ``KsmtunedConfEditor``.
struct KsmtunedConfProvider: ResourceProvider {
  /// The settings, in the desired file's order.
  var settings: [HostSpec.KSMSetting]

  var origin: String { "ksm.settings" }

  /// Only ksmtuned.conf is read.
  func isTraced(in context: PlanContext) -> Bool { true }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try KsmtunedConfEditor(root: context.host)
    let bytes = context.readFile(KsmtunedConfEditor.path)
    let current = try editor.values()
    var wanted: [KsmtunedSetting: String] = [:]
    var unwanted: [KsmtunedSetting] = []
    var before: [String] = []
    var differing: [String] = []
    for setting in settings {
      let name = setting.setting.rawValue
      let inFile = current[setting.setting]?.inFile
      switch setting.value {
      case .set(let value):
        wanted[setting.setting] = value
        if inFile != value { differing.append(name) }
      case .unset:
        unwanted.append(setting.setting)
        if inFile != nil { differing.append(name) }
      }
      before.append("\(name)=\(inFile ?? "unset")")
    }
    try editor.set(wanted)
    try editor.unset(unwanted)
    let files =
      context.rendersFiles
      ? try editor.pendingChanges().map { FileOperation($0) }
      : editor.changedFiles().map { FileOperation.unrendered(path: $0, before: bytes) }
    let names = settings.map(\.setting.rawValue)
    let reason: String
    if files.isEmpty {
      reason = "ksm.settings match the file"
    } else if !editor.exists {
      reason = "ksm.settings asks for \(names.joined(separator: ", ")); the file does not exist"
    } else {
      reason =
        "ksm.settings sets \(differing.isEmpty ? "the same values in their own lines" : differing.joined(separator: ", "))"
    }
    var change = ResourceChange(
      ResourceAddress(.file, KsmtunedConfEditor.path), actions: files.map(\.action),
      before: editor.exists ? before.joined(separator: " ") : "absent",
      after: settings.map { "\($0.setting.rawValue)=\($0.value)" }.joined(separator: " "), reason: reason,
      origin: origin)
    change.operations = files.map(Operation.writeFile)
    return [change]
  }
}
