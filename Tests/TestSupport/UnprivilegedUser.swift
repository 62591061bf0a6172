import Foundation

/// Another account on the machine, played by a real process: `setpriv --reuid=nobody
/// --regid=nogroup --clear-groups` runs a program as `nobody` with no supplementary group, so
/// the kernel, not the test, decides what it may do. Tests of what root trusts (a folder
/// someone else owns, a name someone else planted) use it; they run only as root.
public enum UnprivilegedUser {
  /// util-linux's `setpriv`.
  public static let setpriv = "/usr/bin/setpriv"

  /// `nobody`'s user id and `nogroup`'s group id (65534 on Debian and the RHEL family).
  public static let uid: uid_t = 65534
  public static let gid: gid_t = 65534

  /// Whether the tests can play the other user: they run as root and `setpriv` is there.
  public static var isAvailable: Bool {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv)
  }

  /// The arguments that run `program` with `arguments` as `nobody`.
  public static func command(_ program: String, _ arguments: [String]) -> [String] {
    [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", program] + arguments
  }

  /// Runs `/bin/sh -c script` (with `arguments` as `$1`…) as `nobody` to its end.
  public static func shell(_ script: String, _ arguments: [String] = []) throws -> ProgramRun {
    try ProgramRun.run(setpriv, Array(command("/bin/sh", ["-c", script, "sh"] + arguments).dropFirst()))
  }

  /// Starts `/bin/sh -c script` (with `arguments` as `$1`…) as `nobody`, in its own process
  /// group, for a loop the test stops with `stop(group: true)`.
  public static func startShell(_ script: String, _ arguments: [String] = []) throws -> ChildProcess {
    try ChildProcess(setpriv, command("/bin/sh", ["-c", script, "sh"] + arguments), newSession: true)
  }

  /// Gives `path` to `nobody:nogroup` with `mode`.
  public static func give(_ path: String, mode: mode_t) throws {
    guard chown(path, uid, gid) == 0, chmod(path, mode) == 0 else {
      throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
    }
  }
}
