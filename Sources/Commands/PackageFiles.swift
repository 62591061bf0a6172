import ArgumentParser
import DaemonFiles
import Foundation

/// `virthost package-files`, hidden: writes the tuner's systemd unit and SysV init script
/// for a package build (`scripts/package`), rendered from `Templates/` by ``DaemonFiles``
/// as `virthost apply` renders them, for the packaged binary. Not for users.
struct PackageFiles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "package-files", abstract: "Write the tuner's unit and init script for a package build.",
    shouldDisplay: false)

  @Option(help: "The path the unit and the script run.")
  var binary = DaemonFiles.packagedBinaryPath

  @Option(help: "Where to write the systemd unit.")
  var systemdUnit: String

  @Option(help: "Where to write the SysV init script.")
  var initScript: String

  func run() throws {
    let files = [
      (systemdUnit, try DaemonFiles.systemdUnit(binaryPath: binary)),
      (initScript, try DaemonFiles.sysvInitScript(binaryPath: binary)),
    ]
    for (path, text) in files {
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      } catch {
        throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
      }
    }
  }
}
