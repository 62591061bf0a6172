import Editors
import Foundation

/// The persistent half of `sysctl:`: the `file[...]` resource of the sysctl file
/// that holds the settings across reboots, through ``SysctlEditor``.
struct SysctlFileProvider: ResourceProvider {
  /// The settings, in the desired file's order.
  var settings: [HostSpec.Setting]

  var origin: String { "sysctl" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try SysctlEditor(root: context.host)
    for file in Set(editor.files + [editor.file]).sorted() { _ = context.readFile(file) }
    var before: [String] = []
    var differing: [String] = []
    for setting in settings {
      let value = try editor.persistentValue(setting.name)
      before.append("\(setting.name)=\(value ?? "unset")")
      if value.map(SysctlValue.normalized) != SysctlValue.normalized(setting.value) { differing.append(setting.name) }
      try editor.set(setting.name, setting.value)
    }
    let files = try editor.pendingChanges().map { FileOperation($0) }
    for file in files where !editor.files.contains(file.path) { _ = context.readFile(file.path) }
    var change = ResourceChange(
      ResourceAddress(.file, files.first?.path ?? SysctlEditor.defaultFile), actions: files.map(\.action),
      before: before.joined(separator: " "), after: settings.map { "\($0.name)=\($0.value)" }.joined(separator: " "),
      reason: files.isEmpty
        ? "the sysctl settings persist already" : "sysctl keeps \(differing.joined(separator: ", ")) across reboots",
      origin: origin)
    change.files = files
    return [change]
  }
}

/// How sysctl values compare: runs of blanks (tabs in `/proc/sys` files) are one space.
enum SysctlValue {
  /// `value` with blanks collapsed and trimmed.
  static func normalized(_ value: String) -> String {
    value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// The `/proc/sys` file of `key`: dots become slashes.
  static func procPath(_ key: String) -> String {
    "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
  }
}
