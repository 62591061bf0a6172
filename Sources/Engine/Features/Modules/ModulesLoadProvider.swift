import Editors
import Foundation

/// The `file["/etc/modules-load.d/virthost.conf"]` resource: the modules `modules.load` lists
/// (those not built into the next kernel), one a line, in a file virthost owns whole,
/// read at boot by systemd-modules-load (and Debian's `/etc/init.d/kmod`); removed when
/// the list is empty.
struct ModulesLoadProvider: ResourceProvider {
  /// virthost's modules-load.d file.
  static let path = "/etc/modules-load.d/virthost.conf"
  /// The comment at its top.
  static let header = "Written by virthost from modules.load in host.yaml; edits are replaced."

  /// The modules, in order.
  var modules: [String]

  var origin: String { "modules.load" }

  /// Only the file itself is read.
  func isTraced(in context: PlanContext) -> Bool { true }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let current = context.readFile(Self.path)
    var operation: FileOperation?
    if modules.isEmpty {
      if let current { operation = FileOperation(path: Self.path, before: current, after: nil) }
    } else if let change = try ModulesLoadEditor(root: context.host).change(
      Self.path, header: Self.header, modules: modules)
    {
      operation = FileOperation(change)
    }
    let wanted = modules.isEmpty ? "absent" : "loads \(modules.joined(separator: " ")) at boot"
    let before = current == nil ? "absent" : operation == nil ? wanted : "other modules"
    var change = ResourceChange(
      ResourceAddress(.file, Self.path), actions: operation.map { [$0.action] } ?? [], before: before, after: wanted,
      reason: modules.isEmpty
        ? "modules.load lists no module to load" : "modules.load loads \(modules.joined(separator: ", ")) at boot",
      origin: origin)
    if let operation { change.operations = [.writeFile(operation)] }
    return [change]
  }
}
