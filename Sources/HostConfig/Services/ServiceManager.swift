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

  /// Whether the service manager can be asked about services (and told to start or stop them).
  public enum Availability: Sendable, Equatable {
    /// It can: the live root, its service manager running.
    case available
    /// It cannot, for this reason (one clause a sentence can quote).
    case unavailable(String)
  }

  /// The services of the root.
  public let services: ServiceReader
  /// Whether the root is the running machine (the root's own answer unless given).
  public let isLive: Bool

  /// The service manager of the root `services` reads; `isLive` overrides the root's own
  /// answer (tests ask as if a copy were the live machine).
  public init(_ services: ServiceReader, isLive: Bool? = nil) {
    self.services = services
    self.isLive = isLive ?? services.root.isLive
  }

  /// Whether services can be asked about now; one answer for facts and the planner. systemd
  /// runs when `/run/systemd/system` is a folder (`sd_booted(3)`); without it (a container, a
  /// chroot) `systemctl is-active` fails for every unit and says nothing about the unit.
  public var availability: Availability {
    if !isLive { return .unavailable("not the live root: whether it runs can only be asked on /") }
    if services.initSystem == .systemd && !services.root.isDirectory("/run/systemd/system") {
      return .unavailable("systemd is installed but not running here (no /run/systemd/system)")
    }
    return .available
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

  /// Whether the service runs now, from the host's service manager; `nil` when it cannot be
  /// asked (``availability``): an offline root, or systemd installed but not running.
  /// `systemctl is-active`: 0 running, 3 stopped, any other status unknown.
  /// - Throws: ``ServiceConfigError`` for an invalid name, an unknown service, or a status the
  ///   service manager cannot tell.
  public func isRunning(_ name: String) throws(ServiceConfigError) -> Bool? {
    try ServiceReader.check(name)
    guard availability == .available else { return nil }
    _ = try services.existing(name)
    let status = try Self.run(try command(.status, for: name))
    switch (services.initSystem, status.code) {
    case (_, 0): return true
    case (.systemd, 3): return false
    case (.systemd, _), (.sysv, 4): throw .statusUnknown(name, output: status.output)
    case (.sysv, _): return false
    }
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
