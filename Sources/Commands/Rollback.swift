import ArgumentParser
import Engine

/// `virthost rollback`: restores the files, links and live values of the last apply.
struct RollbackCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback", abstract: "Restore what the last apply changed, from its backup.")

  @OptionGroup var options: RootOptions

  @Flag(
    help: ArgumentHelp(
      "Roll back a backup whose manifest does not authenticate with this machine's state key (a host restored "
        + "without /var/lib/virthost/state.key); the live root only, and the backup's paths are still checked."))
  var trustUnauthenticatedBackup = false

  func run() throws {
    let engine = EngineSetup.engine(root: try options.hostRoot())
    let report: RollbackReport
    do {
      report = try engine.rollback(
        trustUnauthenticated: trustUnauthenticatedBackup,
        progress: ProgressPrinter(style: TerminalStyle.current(noColorFlag: true)).show)
    } catch {
      throw CommandFailure(error.description)
    }
    for warning in report.warnings { print("warning: \(warning)") }
    print("Rolled back the apply of backup \(report.backup): \(report.restored.count) steps.")
    // Offline, what only the host can run (the initramfs rebuild) is pending: exit 3, as apply.
    guard report.pendingCommands.isEmpty else {
      for command in report.pendingCommands { print("pending: run \(command.shown) on the host itself") }
      throw ExitCode(ApplyCommand.pendingStatus)
    }
  }
}
