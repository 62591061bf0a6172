import Augeas
import RootFS

/// Why the services of a root cannot be read or asked about; its description reads as one
/// sentence, `file:line:column: message` when it is about a file.
public enum ServiceConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A name no init system uses, or one that could leave the script or unit folder.
  case invalidName(String, reason: String)
  /// None of the init systems' marks is under the root (the root's path).
  case unknownInitSystem(root: String)
  /// SysV asked for on a root without `/etc/rc.d/init.d` or `/etc/init.d` (the root's path).
  case noInitScriptFolder(root: String)
  /// The service has no init script or unit file (its name, and what was looked for).
  case unknownService(String, detail: String)
  /// A unit file the Systemd lens does not accept: the file, and where Augeas stopped.
  case unparsable(file: String, AugeasError)
  /// A file that cannot be read through the root.
  case unreadable(HostRootError)
  /// The service manager ran but cannot tell whether the service runs (its output).
  case statusUnknown(String, output: String)
  /// The service manager could not be run (the command, and why).
  case cannotRun(command: String, reason: String)
  /// Marks of both the Debian and the RHEL family, and both tools or neither (what was found).
  case ambiguousFamily(found: [String])

  /// The file concerned, as a path from the root, when the message does not name it.
  public var file: String? {
    switch self {
    case .unparsable(let file, _): file
    case .unreadable(.notText(let file, _, _, _)): file
    default: nil
    }
  }

  /// The 1-based line in ``file``, when known.
  public var line: Int? {
    switch self {
    case .unparsable(_, let error): error.file?.line
    case .unreadable(.notText(_, let line, _, _)): line
    default: nil
    }
  }

  /// The 1-based column in that line, when known.
  public var column: Int? {
    switch self {
    case .unparsable(_, let error): error.file?.character.map { $0 + 1 }
    case .unreadable(.notText(_, _, let column, _)): column
    default: nil
    }
  }

  /// What is wrong, without the file and position.
  public var message: String {
    switch self {
    case .invalidName(let name, let reason): "invalid service name \(String(reflecting: name)): \(reason)"
    case .unknownInitSystem(let root):
      "cannot tell the init system of the root \(root): no /run/systemd/system, no /sbin/init linked to "
        + "systemd, no /etc/systemd/system with systemd installed, and no /etc/rc.d/init.d or /etc/init.d with "
        + "rcN.d folders"
    case .noInitScriptFolder(let root): "no SysV init script folder (/etc/rc.d/init.d or /etc/init.d) under \(root)"
    case .unknownService(let name, let detail): "unknown service \(name): \(detail)"
    case .unparsable(_, let error):
      "cannot be parsed" + ((error.file?.message).map { ": \($0)" } ?? ": \(error.message)")
    case .unreadable(.notText(_, _, _, let reason)): reason
    case .unreadable(let error): error.description
    case .statusUnknown(let name, let output): "the status of \(name) is unknown: \(output)"
    case .cannotRun(let command, let reason): "cannot run \(command): \(reason)"
    case .ambiguousFamily(let found):
      "cannot tell whether services here follow update-rc.d (Debian: /etc/debian_version) or chkconfig "
        + "(RHEL: /etc/rc.d/init.d): found \(found.joined(separator: ", "))"
    }
  }

  public var description: String {
    guard let file else { return message }
    var location = file
    if let line {
      location += ":\(line)"
      if let column { location += ":\(column)" }
    }
    return "\(location): \(message)"
  }
}
