import ArgumentParser
import Augeas
import Engine
import Foundation
import HostConfig

/// `virthost apply`: brings the host to the desired state, from a desired-state
/// file or a saved plan.
struct ApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Apply a desired-state file or a saved plan to the host.",
    discussion: """
      With a desired-state file, plans and applies in one go. With a plan saved by \
      `virthost plan --out`, applies it to the root it was made for, and refuses it \
      when anything it read has changed since.

      Exit status: 0 applied (or nothing to do) and planned again without changes; 1 \
      error (nothing more applied); \(pendingRegenerationStatus) applied to a root that \
      is not /, whose generated boot-loader configuration (grub.cfg) only the host \
      can regenerate: "pending regeneration", with the command to run there.
      """)

  /// The exit status of an apply that left a boot-loader regeneration to the host.
  static let pendingRegenerationStatus: Int32 = 3

  @OptionGroup var options: RootOptions

  @OptionGroup var styleOptions: StyleOptions

  @Argument(help: "A desired-state file (host.yaml) or a saved plan.")
  var input: String = "host.yaml"

  @Flag(help: "Parse every file even when the trace of the last converged apply matches (no fast path).")
  var noCache = false

  func run() throws {
    // Apply plans the files twice (the plan shown, and after; under the lock it stands on the
    // plan shown when nothing moved): one pool of Augeas handles loads each lens module once.
    try AugeasHandlePool().run { try applyInput() }
  }

  private func applyInput() throws {
    let text = try EngineSetup.readSpec(input)
    let style = styleOptions.style
    let progress = ProgressPrinter(style: style)
    let report: ApplyReport
    do {
      if PlanDocument.isPlan(Data(text.utf8)) {
        let document = try PlanDocument.decode(Data(text.utf8), file: input)
        let root = options.root == "/" ? try RootOptions.hostRoot(document.root) : try options.hostRoot()
        report = try EngineSetup.engine(root: root).apply(saved: document, progress: progress.show)
      } else {
        var engine = EngineSetup.engine(root: try options.hostRoot())
        engine.planner.usesTrace = !noCache
        let plan = try engine.planToApply(specText: text, specFile: input)
        print(PlanTextRenderer(style: style).render(plan), terminator: "")
        if plan.hasErrors { throw ExitCode.failure }
        report = try engine.apply(plan, progress: progress.show)
      }
    } catch let error as SpecError {
      EngineSetup.printError(error.description)
      throw ExitCode.failure
    } catch let error as PlanFileError {
      throw CommandFailure(error.description)
    } catch let error as EngineError {
      throw CommandFailure(error.description)
    }
    for warning in report.warnings { EngineSetup.printError("warning: " + warning) }
    if let pending = report.pendingRegeneration {
      print(
        "Apply complete: \(counted(report.applied.count, "step")) done" + (report.backup.map { "; backup \($0)" } ?? "")
          + ".")
      print("pending regeneration: run \(pending.command.joined(separator: " ")) on the host")
      for command in report.pendingCommands { print("pending: run \(command.shown) on the host itself") }
      throw ExitCode(Self.pendingRegenerationStatus)
    }
    if report.applied.isEmpty && report.skipped.isEmpty {
      // A plan from a desired-state file has said so already.
      if PlanDocument.isPlan(Data(text.utf8)) { print("No changes. The host matches the desired state.") }
      return
    }
    print(
      "Apply complete: \(counted(report.applied.count, "step")) done" + (report.backup.map { "; backup \($0)" } ?? "")
        + ".")
    print("Planned again: no changes. The host matches the desired state.")
    if !report.pendingCommands.isEmpty {
      // The files are right; what the host builds from them is not, until it runs these.
      for command in report.pendingCommands { print("pending: run \(command.shown) on the host itself") }
      throw ExitCode(Self.pendingStatus)
    }
  }

  /// The exit status of an apply that left a live-host command (`proxmox-boot-tool
  /// refresh`) to the host: not 0, which says converged, nor 1, which says failed.
  static let pendingStatus: Int32 = 3
}
