import Foundation

/// Enables and disables services at boot under a root, as `chkconfig NAME on|off` (SysV) or
/// `systemctl enable|disable NAME` (systemd) would, and starts, stops and checks them on the live host.
///
/// Enablement is a set of symlinks: ``enablementChanges(_:enabled:)`` computes them without
/// touching anything (the plan), ``apply(_:)`` makes them (the apply). Unit files are read with
/// the Systemd lens; links are plain file-system work, not Augeas's. Not for runlevel changes,
/// unit masking or unmasking, or template units (`name@instance`).
public final class ServiceEditor {
  /// The root directory, as given.
  public let root: String
  /// The init system whose conventions this editor follows.
  public let initSystem: InitSystem
  private let paths: RootPath

  /// Opens the services of `root` for `initSystem`, or the one ``InitSystem/detect(root:)`` finds.
  ///
  /// - Throws: ``EditorError`` when the init system cannot be told, or SysV is asked for on a
  ///   root without an init script folder.
  public init(root: String, initSystem: InitSystem? = nil) throws(EditorError) {
    self.root = root
    paths = RootPath(root)
    if let initSystem {
      self.initSystem = initSystem
    } else {
      self.initSystem = try InitSystem.detect(root: root)
    }
    if self.initSystem == .sysv { _ = try SysVServices(paths: paths) }
  }

  /// The service's enablement as the init system's own tool would report it; an unknown
  /// service has `exists == false`.
  /// - Throws: ``EditorError`` for an invalid name or a unit file that cannot be parsed.
  public func state(_ name: String) throws(EditorError) -> ServiceState {
    try Self.check(name)
    switch initSystem {
    case .sysv: return try SysVServices(paths: paths).state(name)
    case .systemd: return try SystemdServices(paths: paths).state(name)
    }
  }

  /// Exactly the links `chkconfig NAME on|off` or `systemctl enable|disable NAME` would create
  /// and remove, removals first; `[]` when the service is already so.
  ///
  /// SysV: `S<start>NAME` in the script's levels and `K<stop>NAME` in the others when enabling,
  /// `K<stop>NAME` in every level when disabling (priorities from `# chkconfig:`).
  /// systemd: the `[Install]` section's `WantedBy=`, `RequiredBy=`, `UpheldBy=`, `Alias=`,
  /// followed through `Also=`.
  /// - Throws: ``EditorError`` for an invalid name, an unknown service, a masked unit, or a unit
  ///   without `[Install]` section to enable.
  public func enablementChanges(_ name: String, enabled: Bool) throws(EditorError) -> [LinkChange] {
    try Self.check(name)
    let changes: [LinkChange]
    switch initSystem {
    case .sysv: changes = try SysVServices(paths: paths).changes(name, enabled: enabled)
    case .systemd: changes = try SystemdServices(paths: paths).changes(name, enabled: enabled)
    }
    return changes.filter { $0.kind == .remove } + changes.filter { $0.kind == .create }
  }

  /// Creates and removes the links, and nothing else (parent folders of new links excepted).
  ///
  /// Each change is checked before any is made: every path must lie under `/etc`; a link to
  /// create that already exists with the same text, or one to remove that is already gone, is
  /// skipped, so applying twice is applying once.
  /// - Throws: ``EditorError`` when a path is outside `/etc`, when something else stands where
  ///   a link is to be created, or when a link to remove is not a link or points elsewhere;
  ///   nothing changed then. A failure of the file system itself stops at the failing change.
  public func apply(_ changes: [LinkChange]) throws(EditorError) {
    var work: [LinkChange] = []
    for change in changes {
      let parts = RootPath.components(change.path)
      guard change.path.hasPrefix("/etc/"), !parts.contains(".."), !parts.contains("."), !change.target.isEmpty
      else {
        throw EditorError(file: change.path, message: "not an enablement link under /etc: left alone")
      }
      let existing = paths.linkText(change.path)
      switch change.kind {
      case .create:
        if existing == change.target { continue }
        if existing != nil || paths.kind(change.path) != nil {
          throw EditorError(
            file: change.path, message: "already exists and is not a link to \(change.target): left alone")
        }
      case .remove:
        if paths.kind(change.path) == nil { continue }
        guard existing == change.target else {
          throw EditorError(
            file: change.path,
            message: existing.map { "points to \($0), not \(change.target): left alone" }
              ?? "is not a symlink: left alone")
        }
      }
      work.append(change)
    }
    for change in work {
      let full = paths.full(paths.physical(change.path))
      do {
        switch change.kind {
        case .create:
          let folder = (full as NSString).deletingLastPathComponent
          try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
          try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: change.target)
        case .remove:
          try FileManager.default.removeItem(atPath: full)
        }
      } catch {
        throw EditorError(
          file: change.path, message: "cannot \(change.kind.rawValue) the link: \(error.localizedDescription)")
      }
    }
  }

  /// Whether the service runs now, from the host's service manager (`systemctl is-active`,
  /// `service NAME status`); `nil` for an offline root, where nothing runs.
  /// - Throws: ``EditorError`` for an invalid name, an unknown service, or a status the
  ///   service manager cannot tell.
  public func isRunning(_ name: String) throws(EditorError) -> Bool? {
    try Self.check(name)
    guard paths.isLive else { return nil }
    try requireExisting(name)
    let status = try run(name, action: "status")
    if initSystem == .sysv && status.code == 4 {
      throw EditorError(message: "the status of \(name) is unknown: \(status.output)")
    }
    return status.code == 0
  }

  /// Starts the service now through the host's service manager; live root `/` only.
  /// - Throws: ``EditorError`` for an offline root, an unknown service, or a failed start (with its output).
  public func start(_ name: String) throws(EditorError) { try control(name, "start") }

  /// Stops the service now through the host's service manager; live root `/` only.
  /// - Throws: ``EditorError`` for an offline root, an unknown service, or a failed stop (with its output).
  public func stop(_ name: String) throws(EditorError) { try control(name, "stop") }

  // MARK: - Helpers

  /// Refuses names that could leave the init script or unit folder, or that no init system uses.
  static func check(_ name: String) throws(EditorError) {
    let problem: String?
    if name.isEmpty {
      problem = "it is empty"
    } else if name.contains("/") {
      problem = "it contains /"
    } else if name.contains("..") || name == "." {
      problem = "it contains .."
    } else if name.hasPrefix("-") {
      problem = "it starts with -"
    } else if name.contains("@") {
      problem = "template units (name@instance) are not supported"
    } else if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "_.:+-".contains($0))) }) {
      problem = "it contains \(String(reflecting: String(bad)))"
    } else {
      problem = nil
    }
    if let problem { throw EditorError(message: "invalid service name \(String(reflecting: name)): \(problem)") }
  }

  private func requireExisting(_ name: String) throws(EditorError) {
    let state = try state(name)
    if !state.exists {
      throw EditorError(message: "unknown service \(name): \(state.detail)")
    }
  }

  private func control(_ name: String, _ action: String) throws(EditorError) {
    try Self.check(name)
    guard paths.isLive else {
      throw EditorError(message: "cannot \(action) \(name): not possible for an offline root (\(root))")
    }
    try requireExisting(name)
    let result = try run(name, action: action)
    if result.code != 0 {
      throw EditorError(message: "\(action) \(name) failed with exit status \(result.code): \(result.output)")
    }
  }

  /// Runs the host's service manager for `action` on `name`.
  private func run(_ name: String, action: String) throws(EditorError) -> (code: Int32, output: String) {
    let manager = FileManager.default
    var command: [String]
    switch initSystem {
    case .systemd:
      let systemctl = ["/usr/bin/systemctl", "/bin/systemctl"].first(where: manager.isExecutableFile) ?? "systemctl"
      let unit = SystemdServices.unitName(name)
      command = action == "status" ? [systemctl, "is-active", "--quiet", unit] : [systemctl, action, unit]
    case .sysv:
      if let service = ["/sbin/service", "/usr/sbin/service"].first(where: manager.isExecutableFile) {
        command = [service, name, action]
      } else {
        command = [paths.resolve(try SysVServices(paths: paths).scriptPath(name)), action]
      }
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do {
      try process.run()
    } catch {
      throw EditorError(message: "cannot run \(command.joined(separator: " ")): \(error.localizedDescription)")
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return (process.terminationStatus, output)
  }
}
