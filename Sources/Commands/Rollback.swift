import ArgumentParser
import Engine
import HostConfig

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

  @Flag(
    help: ArgumentHelp(
      "Restore files and live values that changed since the apply too (without it they are refused, with their "
        + "diff, and so is everything else of the same desired key)."))
  var force = false

  func run() throws {
    let engine = EngineSetup.engine(root: try options.hostRoot())
    let report: RollbackReport
    do {
      report = try engine.rollback(
        trustUnauthenticated: trustUnauthenticatedBackup, force: force,
        progress: ProgressPrinter(style: TerminalStyle.current(noColorFlag: true)).show)
    } catch {
      throw CommandFailure(error.description)
    }
    for warning in report.warnings { print("warning: \(warning)") }
    guard report.refused.isEmpty else {
      for refusal in report.refused {
        print("refused: \(refusal.path) changed since the apply:")
        print(refusal.detail, terminator: refusal.detail.hasSuffix("\n") ? "" : "\n")
      }
      let keys =
        report.heldBackKeys.isEmpty ? "" : " (held back with them: \(report.heldBackKeys.joined(separator: ", ")))"
      throw CommandFailure(
        "rolled back part of backup \(report.backup): \(counted(report.restored.count, "step")); \(report.refused.count) "
          + "changed since the apply\(keys). Review the diffs, then run rollback again, with --force to restore them "
          + "too.")
    }
    print("Rolled back the apply of backup \(report.backup): \(counted(report.restored.count, "step")).")
    // Offline, what only the host can run (grub-mkconfig, the initramfs rebuild) is pending: exit 3, as apply.
    if let regeneration = report.pendingRegeneration {
      print("pending: run \(regeneration.command.joined(separator: " ")) on the host itself")
    }
    for command in report.pendingCommands { print("pending: run \(command.shown) on the host itself") }
    if report.pendingRegeneration != nil || !report.pendingCommands.isEmpty {
      throw ExitCode(ApplyCommand.pendingStatus)
    }
  }
}
