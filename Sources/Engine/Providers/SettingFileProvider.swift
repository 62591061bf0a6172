import Editors
import Foundation
import HostConfig

/// One setting in a small configuration file, through ``SettingFileEditor`` and the lens
/// named: systemd's `CPUAffinity=` in virthost's `system.conf.d` drop-in (Systemd lens),
/// irqbalance's `IRQBALANCE_BANNED_CPULIST` (Shellvars lens). A `file[...]` resource.
struct SettingFileProvider: ResourceProvider {
  /// The file.
  var path: String
  /// The lens it is parsed with.
  var lens: String
  /// The setting's path in the file's tree (`Manager/CPUAffinity`).
  var key: String
  /// Whether the value is the Systemd lens's `value` child.
  var valueChild: Bool
  /// Whether an empty assignment goes before the value (systemd's merged list settings).
  var resetsFirst = false
  /// The value; `nil` removes the setting.
  var value: String?
  /// Whether the file is virthost's own, removed whole when the setting is removed.
  var ownsFile: Bool
  /// Other settings of the file taken out while ``value`` is set, because the program
  /// would read them instead of it (irqbalance reads `IRQBALANCE_BANNED_CPUS` first).
  var overriding: [String] = []
  var origin: String
  /// Why, in words.
  var reason: String

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let bytes = context.readFile(path)
    let address = ResourceAddress(.file, path)
    if value == nil, ownsFile {
      guard let bytes else { return [] }
      var change = ResourceChange(
        address, actions: [.delete], before: "present", after: "absent", reason: reason, origin: origin)
      change.operations = [.writeFile(FileOperation(path: path, before: bytes, after: nil))]
      return [change]
    }
    let editor = try SettingFileEditor(root: context.host, file: path, lens: lens)
    let current = try editor.value(key)
    var overridden: [String] = []
    if let value, resetsFirst {
      try editor.setAfterReset(key, value)
    } else if let value {
      try editor.set(key, value, valueChild: valueChild)
      for other in overriding {
        guard let old = try editor.value(other) else { continue }
        overridden.append("\(other)=\(old)")
        try editor.remove(other)
      }
    } else {
      try editor.remove(key)
    }
    let name = key.split(separator: "/").last.map(String.init) ?? key
    let reason =
      overridden.isEmpty
      ? reason
      : reason + "; \(overridden.joined(separator: ", ")) taken out, which the program reads first and then ignores "
        + name
    guard let fileChange = try editor.pendingChange() else {
      guard value != nil else { return [] }
      return [
        ResourceChange(
          address, actions: [], before: "\(name)=\(current ?? "unset")", after: "\(name)=\(value ?? "unset")",
          reason: reason, origin: origin)
      ]
    }
    let operation = FileOperation(fileChange)
    var change = ResourceChange(
      address, actions: [operation.action], before: bytes == nil ? "absent" : "\(name)=\(current ?? "unset")",
      after: "\(name)=\(value ?? "unset")", reason: reason, origin: origin)
    change.operations = [.writeFile(operation)]
    return [change]
  }
}
