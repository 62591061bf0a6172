import ArgumentParser
import Engine
import HostConfig

/// `virthost rollback`: restores the files, links and live values of the last apply.
struct RollbackCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback", abstract: "Restore what the last apply changed, from its backup.")

  @OptionGroup var options: RootOptions

  func run() throws {
    let engine = EngineSetup.engine(root: try options.hostRoot())
    let report: RollbackReport
    do {
      report = try engine.rollback(progress: ProgressPrinter(style: TerminalStyle.current(noColorFlag: true)).show)
    } catch {
      throw CommandFailure(error.description)
    }
    print("Rolled back the apply of backup \(report.backup): \(counted(report.restored.count, "step")).")
    // Offline, what only the host can run (the initramfs rebuild) is pending: exit 3, as apply.
    guard report.pendingCommands.isEmpty else {
      for command in report.pendingCommands { print("pending: run \(command.shown) on the host itself") }
      throw ExitCode(ApplyCommand.pendingStatus)
    }
  }
}
