import DaemonFiles
import Editors
import Foundation
import HostConfig
import RootFS

/// The files of `ksm.tuner: bundled`: the `virthost-ksmtuned` program under
/// `/usr/local/sbin`, and its systemd unit or SysV init script from ``DaemonFiles``.
///
/// With the virthost package installed (``packaged(_:)``), the package's
/// `/usr/sbin/virthost-ksmtuned` is the tuner: nothing is copied, and the unit or
/// init script runs that binary.
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

  /// Whether the virthost package's tuner is installed under `root`: a regular file at
  /// ``DaemonFiles/packagedBinaryPath``.
  ///
  /// The file itself is the test, not dpkg's or rpm's database: outside `/usr/local`,
  /// `/usr/sbin` belongs to the package manager (FHS 4.1), virthost itself installs
  /// only under `/usr/local/sbin`, and the .deb and the RPM put the tuner there alike;
  /// and the file is what the unit runs, so its presence is the truth the plan needs.
  static func packaged(_ root: HostRoot) -> Bool { root.isFile(DaemonFiles.packagedBinaryPath) }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let root = context.host
    // Recorded only when there (a plan saved without the package, and plan files of
    // format 1, read the same as before): installing the package later makes it stale.
    if let status = root.status(DaemonFiles.packagedBinaryPath) {
      context.observe(
        .file(DaemonFiles.packagedBinaryPath),
        "\(status.kind) \(status.size) bytes mode \(String(status.mode & 0o7777, radix: 8))")
    }
    if Self.packaged(root) { return try packagedChanges(in: context) }
    guard let source = context.bundledTuner, let program = FileManager.default.contents(atPath: source) else {
      context.report(
        Diagnostic(
          .error, .missingBundledTuner, "ksm.tuner: bundled needs the virthost-ksmtuned program next to virthost",
          detail:
            "Looked for \(context.bundledTuner ?? "it") and found nothing; build it with `swift build`, or install the virthost package (/usr/sbin/virthost-ksmtuned).",
          keyPath: origin))
      return []
    }
    let initSystem = try ServiceEditor(root: root).initSystem
    return [
      fileChange(DaemonFiles.binaryPath, program, mode: 0o755, what: "the bundled KSM tuner program", context),
      try serviceFileChange(initSystem, binaryPath: DaemonFiles.binaryPath, context),
    ]
  }

  /// With the package: the binary as the package left it (no action), and a service file
  /// only where the package's own does not serve: on systemd, the package's unit runs its
  /// binary unless an `/etc/systemd/system` unit (from an apply before the package) overrides
  /// it, which then is rewritten to run the packaged binary; a SysV init script is rendered
  /// for the packaged binary (the package's own is the same text, so no change).
  private func packagedChanges(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let root = context.host
    let path = DaemonFiles.packagedBinaryPath
    let binary = ResourceChange(
      ResourceAddress(.file, path), actions: [], before: "installed by the virthost package",
      after: "installed by the virthost package", reason: "ksm.tuner: bundled runs the packaged \(Self.service)",
      origin: origin)
    let initSystem = try ServiceEditor(root: root).initSystem
    let unitPath = Self.serviceFile(initSystem, root)
    let hasPackageUnit = DaemonFiles.packagedUnitPaths.contains(where: root.isFile)
    if initSystem == .systemd, hasPackageUnit, context.readFile(unitPath) == nil {
      return [binary]
    }
    return [binary, try serviceFileChange(initSystem, binaryPath: path, context)]
  }

  /// The unit or init script for `initSystem` running `binaryPath`, as a change of its file.
  private func serviceFileChange(_ initSystem: InitSystem, binaryPath: String, _ context: PlanContext)
    throws(EditorError) -> ResourceChange
  {
    let unitPath = Self.serviceFile(initSystem, context.host)
    let unitText: String
    do {
      unitText =
        initSystem == .systemd
        ? try DaemonFiles.systemdUnit(binaryPath: binaryPath)
        : try DaemonFiles.sysvInitScript(binaryPath: binaryPath)
    } catch {
      throw EditorError(file: unitPath, message: "cannot render the \(Self.service) service file: \(error)")
    }
    return fileChange(
      unitPath, Data(unitText.utf8), mode: initSystem == .systemd ? 0o644 : 0o755,
      what: "the \(initSystem == .systemd ? "systemd unit" : "init script") of \(Self.service)", context)
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
    if !same { change.operations = [.writeFile(operation)] }
    return change
  }
}
