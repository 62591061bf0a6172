import DaemonFiles
import Editors
import Foundation
import HostConfig
import RootFS

/// The files of `ksm.tuner: bundled`: the `virthost-ksmtuned` program under
/// `/usr/local/sbin`, and its systemd unit or SysV init script from ``DaemonFiles``.
struct BundledTunerProvider: ResourceProvider {
  /// The service name of the bundled tuner.
  static let service = "virthost-ksmtuned"

  var origin: String { "ksm.tuner" }

  /// Where the unit or init script goes for `initSystem` under `root`.
  static func serviceFile(_ initSystem: InitSystem, _ root: HostRoot) -> String {
    switch initSystem {
    case .systemd: "/etc/systemd/system/\(service).service"
    case .sysv: (root.isDirectory("/etc/rc.d/init.d") ? "/etc/rc.d/init.d/" : "/etc/init.d/") + service
    }
  }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    guard let source = context.bundledTuner, let program = FileManager.default.contents(atPath: source) else {
      context.report(
        Diagnostic(
          .error, .missingBundledTuner, "ksm.tuner: bundled needs the virthost-ksmtuned program next to virthost",
          detail: "Looked for \(context.bundledTuner ?? "it") and found nothing; build it with `swift build`.",
          keyPath: origin))
      return []
    }
    let root = context.host
    let initSystem = try ServiceEditor(root: root).initSystem
    let unitPath = Self.serviceFile(initSystem, root)
    let unitText: String
    do {
      unitText =
        initSystem == .systemd
        ? try DaemonFiles.systemdUnit(binaryPath: DaemonFiles.binaryPath)
        : try DaemonFiles.sysvInitScript(binaryPath: DaemonFiles.binaryPath)
    } catch {
      throw EditorError(file: unitPath, message: "cannot render the \(Self.service) service file: \(error)")
    }
    return [
      fileChange(DaemonFiles.binaryPath, program, mode: 0o755, what: "the bundled KSM tuner program", context),
      fileChange(
        unitPath, Data(unitText.utf8), mode: initSystem == .systemd ? 0o644 : 0o755,
        what: "the \(initSystem == .systemd ? "systemd unit" : "init script") of \(Self.service)", context),
    ]
  }

  private func fileChange(_ path: String, _ wanted: Data, mode: Int, what: String, _ context: PlanContext)
    -> ResourceChange
  {
    let current = context.readFile(path)
    let operation = FileOperation(path: path, before: current, after: wanted, mode: mode)
    let same = current == wanted
    var change = ResourceChange(
      ResourceAddress(.file, path), actions: same ? [] : [operation.action],
      before: current == nil ? "absent" : same ? "installed" : "a different version", after: "installed",
      reason: same ? "\(what) is installed" : "ksm.tuner: bundled installs \(what)", origin: origin)
    if !same { change.files = [operation] }
    return change
  }
}
