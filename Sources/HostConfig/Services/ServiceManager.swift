import Foundation
import RootFS

/// The live host's service manager (`systemctl`, `service`, or the init script itself):
/// which command starts, stops or asks about a service, and whether a service runs now.
///
/// Asking is reading and happens while planning and gathering facts; starting and
/// stopping are the applier's, which runs ``command(_:for:)`` with ``run(_:)``.
public struct ServiceManager: Sendable {
  /// What the service manager is asked to do.
  public enum Action: String, Sendable {
    /// Whether it runs (`systemctl is-active`, `service NAME status`).
    case status
    /// Start it now.
    case start
    /// Stop it now.
    case stop
  }

  /// The services of the root.
  public let services: ServiceReader

  /// The service manager of the root `services` reads.
  public init(_ services: ServiceReader) {
    self.services = services
  }

  /// The command that does `action` for the service `name` on the live host.
  /// - Throws: ``ServiceConfigError`` for an invalid name or, for SysV without `service`,
  ///   a root without an init script folder.
  public func command(_ action: Action, for name: String) throws(ServiceConfigError) -> [String] {
    try ServiceReader.check(name)
    let root = services.root
    switch services.initSystem {
    case .systemd:
      let systemctl = program(["/usr/bin/systemctl", "/bin/systemctl"]) ?? "systemctl"
      let unit = SystemdServices.unitName(name)
      return action == .status ? [systemctl, "is-active", "--quiet", unit] : [systemctl, action.rawValue, unit]
    case .sysv:
      if let service = program(["/sbin/service", "/usr/sbin/service"]) {
        return [service, name, action.rawValue]
      }
      let script = try SysVServices(root: root).scriptPath(name)
      return [root.hostPath(script) ?? root.unresolvedHostPath(script), action.rawValue]
    }
  }

  /// Whether the service runs now, from the host's service manager; `nil` for an offline
  /// root, where nothing runs.
  /// - Throws: ``ServiceConfigError`` for an invalid name, an unknown service, or a status the
  ///   service manager cannot tell.
  public func isRunning(_ name: String) throws(ServiceConfigError) -> Bool? {
    try ServiceReader.check(name)
    guard services.root.isLive else { return nil }
    _ = try services.existing(name)
    let status = try Self.run(try command(.status, for: name))
    if services.initSystem == .sysv && status.code == 4 {
      throw .statusUnknown(name, output: status.output)
    }
    return status.code == 0
  }

  /// Runs `command` (a program's path and its arguments) and waits for it: its exit status
  /// and its output and error output together, trimmed.
  /// - Throws: ``ServiceConfigError/cannotRun(command:reason:)`` when it cannot be started.
  public static func run(_ command: [String]) throws(ServiceConfigError) -> (code: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
      try process.run()
    } catch {
      throw .cannotRun(command: command.joined(separator: " "), reason: error.localizedDescription)
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return (process.terminationStatus, output)
  }

  /// The first of `paths` that is an executable file under the root, as a path on this
  /// machine (the commands run only when the root is the live `/`).
  private func program(_ paths: [String]) -> String? {
    let root = services.root
    return paths.first { root.status($0).map { $0.kind == .regular && $0.mode & 0o111 != 0 } ?? false }
      .map(root.unresolvedHostPath)
  }
}
