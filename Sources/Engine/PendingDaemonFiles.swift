// TEMPORARY, removed when the daemon branch is merged into main and from there
// into this one: the declared API of DaemonFiles, so that the engine compiles.
// Both renderings fail; nothing here is real.
enum DaemonFiles {
  struct Pending: Error, CustomStringConvertible {
    var description: String { "the daemon's service files are not merged yet" }
  }
  static let binaryPath = "/usr/local/sbin/virthost-ksmtuned"
  static func systemdUnit(binaryPath: String) throws -> String { throw Pending() }
  static func sysvInitScript(binaryPath: String) throws -> String { throw Pending() }
}
