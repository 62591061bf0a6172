import ArgumentParser
import Engine
import Foundation
import HostConfig
import RootFS

/// `virthost plan`: shows what it would take to bring the host to the desired state.
struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show, for review, what would change on the host and why.",
    discussion: """
      Exit status: 0 on success; with --detailed-exitcode, 0 no changes, 2 changes, 1 error. \
      With --hosts DIR, plans every subfolder of DIR as a host's root in one process \
      (lenses compiled once), one report per host; the exit status is 1 when any host's \
      plan has errors, else as for one host.
      """)

  @OptionGroup var options: RootOptions

  @OptionGroup var styleOptions: StyleOptions

  @Argument(help: "The desired-state file.")
  var spec: String = "host.yaml"

  @Option(
    help: """
      Save the plan to this file (mode 0600), for `virthost apply PLANFILE`; refused in a folder \
      others than you and root can write.
      """)
  var out: String?

  @Flag(help: "Show a unified diff of every file.")
  var diff = false

  @Option(help: "text, json or markdown.")
  var format: OutputFormat = .text

  @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
  var detailedExitcode = false

  @Option(help: "Plan every subfolder of this directory as a host's root, in one process.")
  var hosts: String?

  @Flag(help: "Parse every file even when the trace of the last converged apply matches (no fast path).")
  var noCache = false

  func validate() throws {
    if hosts != nil && out != nil {
      throw ValidationError("--out saves one host's plan; it cannot be used with --hosts.")
    }
    if hosts != nil && options.root != "/" { throw ValidationError("--root and --hosts cannot be used together.") }
  }

  func run() throws {
    if let hosts { return try planFleet(hosts) }
    // The folder is judged before planning: a refusal costs no plan.
    let outputFile = try out.map { path throws(CommandFailure) in try PlanOutputFile.open(path) }
    let root: HostRoot
    do {
      root = try options.hostRoot()
    } catch {
      if format == .json {
        let diagnostic = Diagnostic(.error, .missingRoot, error.message)
        print(JSONOutput.text(DiagnosticsDocument(diagnostics: [diagnostic])), terminator: "")
      }
      throw error
    }
    var engine = EngineSetup.engine(root: root)
    engine.planner.rendersFiles = rendersFiles
    engine.planner.usesTrace = !noCache
    let plan: Plan
    do {
      plan = try engine.plan(specText: try EngineSetup.readSpec(spec), specFile: spec)
    } catch let error as SpecError {
      if format == .json { print(JSONOutput.text(DiagnosticsDocument(diagnostics: error.diagnostics)), terminator: "") }
      EngineSetup.printError(error.description)
      throw ExitCode.failure
    }
    print(render(plan), terminator: "")
    if plan.hasErrors { throw ExitCode.failure }
    if let out, let outputFile {
      try outputFile.save(Array(PlanDocument(plan).json().utf8))
      if format == .text { print("Saved the plan to \(out); apply it with `virthost apply \(out)`.") }
    }
    if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
  }

  /// Whether the output needs the new text of the files: not for a text plan
  /// without `--diff` or `--out`, which names the files that change.
  private var rendersFiles: Bool { format != .text || diff || out != nil }

  private func render(_ plan: Plan) -> String {
    switch format {
    case .text: PlanTextRenderer(diff: diff, style: styleOptions.style).render(plan)
    case .json: PlanDocument(plan).json()
    case .markdown: PlanMarkdownRenderer().render(plan)
    }
  }

  /// `--hosts DIR`: one report per host, headed by its name (text, Markdown) or
  /// one JSON object of plan documents by host name; then a summary line (text).
  private func planFleet(_ directory: String) throws {
    var fleet = Fleet(directory: directory, bundledTuner: EngineSetup.bundledTuner)
    fleet.rendersFiles = rendersFiles
    fleet.usesTrace = !noCache
    let hosts: [Fleet.Host]
    do {
      hosts = try fleet.hosts()
    } catch {
      throw CommandFailure("cannot list the hosts in \(directory): \(error)")
    }
    var failed: [String] = []
    var changing = 0
    let specText = try EngineSetup.readSpec(spec)
    let parsed: HostSpec
    do {
      parsed = try SpecParser.parse(specText, file: spec)
    } catch {
      EngineSetup.printError(error.description)
      throw ExitCode.failure
    }
    if format == .json { print("{") }
    var first = true
    fleet.plan(parsed, specText: specText, specFile: spec, hosts: hosts) { host, plan in
      if plan.hasErrors { failed.append(host.name) } else if plan.hasChanges { changing += 1 }
      switch format {
      case .text: print("=== \(host.name) (\(host.root.path))\n" + render(plan), terminator: "")
      case .markdown: print("## \(host.name)\n\n" + render(plan))
      case .json:
        let document = render(plan).trimmingCharacters(in: .whitespacesAndNewlines)
        let key = String(decoding: (try? JSONEncoder().encode(host.name)) ?? Data(), as: UTF8.self)
        print((first ? "" : ",\n") + key + ": " + document, terminator: "")
        first = false
      }
    }
    if format == .json { print("\n}") }
    if format == .text {
      print(
        "Planned \(counted(hosts.count, "host")): \(changing) with changes, \(hosts.count - changing - failed.count) without, "
          + "\(failed.count) with errors" + (failed.isEmpty ? "." : " (\(failed.joined(separator: ", "))).")
      )
    }
    if !failed.isEmpty { throw ExitCode.failure }
    if detailedExitcode && changing > 0 { throw ExitCode(2) }
  }
}
