import RootFS
import Spawn

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
    /// Stop and start it now (`systemctl restart`, `service NAME restart`).
    case restart
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
      return [root.programPath(script), action.rawValue]
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
    let status = try Self.run(try command(.status, for: name), timeout: Self.statusTimeout)
    switch (services.initSystem, status.code) {
    case (_, 0): return true
    case (.systemd, 3): return false
    case (.systemd, _), (.sysv, 4): throw .statusUnknown(name, output: status.output)
    case (.sysv, _): return false
    }
  }

  /// How long a status query may take before it is killed.
  public static let statusTimeout: Duration = .seconds(60)
  /// How long a start or a stop may take before it is killed (an init script that waits for
  /// its daemon, a unit's start job).
  public static let actionTimeout: Duration = .seconds(300)

  /// Runs `command` (a program's path and its arguments) and waits for its exit, at most
  /// `timeout`: its exit status and its output and error output together, trimmed. The output
  /// goes to a file, never a pipe, so a daemon the command starts cannot keep the wait open
  /// (``ProgramRunner``).
  /// - Throws: ``ServiceConfigError/cannotRun(command:reason:)`` when it cannot be started or
  ///   has not finished by `timeout` (then it is killed).
  public static func run(_ command: [String], timeout: Duration) throws(ServiceConfigError) -> (
    code: Int32, output: String
  ) {
    let shown = command.joined(separator: " ")
    do {
      let outcome = try ProgramRunner.run(
        command[0], Array(command.dropFirst()), step: shown, timeout: timeout, streams: .together)
      return (outcome.status, outcome.printed)
    } catch {
      switch error {
      case .cannotStart(_, _, let reason), .lost(_, _, let reason): throw .cannotRun(command: shown, reason: reason)
      case .timedOut(_, _, let after):
        throw .cannotRun(
          command: shown, reason: "it did not finish within \(after.components.seconds) s and was killed")
      }
    }
  }

  /// The first of `paths` that is an executable file under the root, as a path on this
  /// machine (the commands run only when the root is the live `/`).
  private func program(_ paths: [String]) -> String? {
    services.root.findProgram(paths)
  }
}
