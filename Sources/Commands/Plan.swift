import ArgumentParser
import Engine
import Foundation

/// `virthost plan`: shows what it would take to bring the host to the desired state.
struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show, for review, what would change on the host and why.",
    discussion: "Exit status: 0 on success; with --detailed-exitcode, 0 no changes, 2 changes, 1 error.")

  @OptionGroup var options: RootOptions

  @Argument(help: "The desired-state file.")
  var spec: String = "host.yaml"

  @Option(help: "Save the plan to this file, for `virthost apply PLANFILE`.")
  var out: String?

  @Flag(help: "Show a unified diff of every file.")
  var diff = false

  @Option(help: "text, json or markdown.")
  var format: OutputFormat = .text

  @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
  var detailedExitcode = false

  func run() throws {
    let engine = EngineSetup.engine(root: options.root)
    let plan: Plan
    do {
      plan = try engine.plan(specText: try EngineSetup.readSpec(spec), specFile: spec)
    } catch let error as SpecError {
      EngineSetup.printError(error.description)
      throw ExitCode.failure
    }
    switch format {
    case .text: print(PlanTextRenderer(diff: diff).render(plan), terminator: "")
    case .json: print(PlanDocument(plan).json(), terminator: "")
    case .markdown: print(PlanMarkdownRenderer().render(plan), terminator: "")
    }
    if plan.hasErrors { throw ExitCode.failure }
    if let out {
      do {
        try Data(PlanDocument(plan).json().utf8).write(to: URL(fileURLWithPath: out))
      } catch {
        throw CommandFailure("cannot write the plan to \(out): \(error.localizedDescription)")
      }
      if format == .text { print("Saved the plan to \(out); apply it with `virthost apply \(out)`.") }
    }
    if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
  }
}
