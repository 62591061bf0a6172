import ArgumentParser
import Engine

/// `virthost rollback`: restores the files, links and live values of the last apply.
struct RollbackCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback", abstract: "Restore what the last apply changed, from its backup.")

  @OptionGroup var options: RootOptions

  func run() throws {
    let engine = EngineSetup.engine(root: try options.hostRoot())
    do {
      let report = try engine.rollback(progress: ProgressPrinter(style: TerminalStyle.current(noColorFlag: true)).show)
      print("Rolled back the apply of backup \(report.backup): \(report.restored.count) steps.")
    } catch {
      throw CommandFailure(error.description)
    }
  }
}
