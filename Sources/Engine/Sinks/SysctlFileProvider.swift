import Editors
import Foundation
import HostConfig

/// The persistent half of `sysctl:`: one `file[...]` resource per sysctl file written, through
/// ``SysctlEditor``, which chooses the files (only under `/etc`) by the root's boot program.
struct SysctlFileProvider: ResourceProvider {
  /// The settings, in the desired file's order.
  var settings: [HostSpec.Setting]
  /// The keys that must get no value at boot.
  var removals: [Removal] = []

  /// A key that must get no value at boot, the desired key that rules it out, and why.
  struct Removal {
    var key: String
    var origin: String
    var reason: String
  }

  var origin: String {
    var origins: [String] = settings.isEmpty ? [] : ["sysctl"]
    for removal in removals where !origins.contains(removal.origin) { origins.append(removal.origin) }
    return origins.joined(separator: ", ")
  }

  /// Only sysctl configuration files are read (the live values are ``LiveValueProvider``'s).
  func isTraced(in context: PlanContext) -> Bool { true }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try SysctlEditor(root: context.host)
    var placements: [SysctlPlacement] = []
    for setting in settings { placements.append(try editor.set(setting.name, setting.value)) }
    var unsets: [(removal: Removal, files: [String], before: String)] = []
    for removal in removals {
      let (files, before) = try editor.unset(removal.key)
      if let before { unsets.append((removal, files, before.value)) }
    }
    let operations = try editor.pendingChanges().map { FileOperation($0) }
    // What the placement depends on: the files read, virthost's own files, and /etc/sysctl.conf
    // (read by procps and RHEL 6, and by systemd-sysctl through a link).
    var observed = Set(editor.files + [SysctlEditor.defaultFile] + operations.map(\.path))
    for file in [SysctlEditor.mainFile, SysctlEditor.laterFile] where context.host.exists(file) {
      observed.insert(file)
    }
    for file in observed.sorted() { _ = context.readFile(file) }
    guard !operations.isEmpty else {
      let values = (settings.map { "\($0.name)=\($0.value)" } + removals.map { "\($0.key) unset" })
        .joined(separator: " ")
      let reason =
        settings.isEmpty
        ? "no sysctl file sets \(removals.map(\.key).joined(separator: ", "))" : "the sysctl settings persist already"
      return [
        ResourceChange(
          ResourceAddress(.file, SysctlEditor.defaultFile), actions: [], before: values, after: values,
          reason: reason, origin: origin)
      ]
    }
    return operations.map { operation in
      let written = placements.filter { $0.file == operation.path }
      let removed = placements.filter { $0.removedFrom == operation.path }
      let unset = unsets.filter { $0.files.contains(operation.path) }
      let before =
        written.map { "\($0.key)=\($0.before?.value ?? "unset")" }
        + removed.map { "\($0.key)=\($0.before?.value ?? "unset") (here)" }
        + unset.map { "\($0.removal.key)=\($0.before)" }
      let after =
        written.map { "\($0.key)=\($0.value)" }
        + removed.map { "\($0.key) moved to \($0.file ?? SysctlEditor.laterFile)" }
        + unset.map { "\($0.removal.key) unset" }
      var reasons: [String] = []
      if !(written + removed).isEmpty {
        var reason = "sysctl keeps \((written + removed).map(\.key).joined(separator: ", ")) across reboots"
        let details = written.compactMap(\.detail)
        if !details.isEmpty { reason += " (" + details.joined(separator: "; ") + ")" }
        reasons.append(reason)
      }
      reasons += unset.map { "\($0.removal.reason): \($0.removal.key) gets no value at boot" }
      let origins = ((written + removed).isEmpty ? [] : ["sysctl"]) + unset.map(\.removal.origin)
      var change = ResourceChange(
        ResourceAddress(.file, operation.path), actions: [operation.action], before: before.joined(separator: " "),
        after: after.joined(separator: " "), reason: reasons.joined(separator: "; "),
        origins: origins)
      change.operations = [.writeFile(operation)]
      return change
    }
  }
}
