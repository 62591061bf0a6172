import ArgumentParser
import Engine
import Foundation
import HostFacts
import HostProcesses
import RootFS

/// `virthost check`: the drift report of a desired state, for people and for monitoring.
///
/// It plans as `virthost plan` does and reads the plan: per resource, what is desired, what
/// the files configure and what the running host does, with a verdict. The exit status is the
/// monitoring-plugin one: 0 in sync, 1 pending (regeneration, reboot, restart), 2 drifted
/// (or a readiness check failed), 3 unknown, also for a desired state or a root that cannot
/// be read.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Report, per item of the desired state, whether the host is in sync, drifted or pending.",
    discussion: """
      Plans as `virthost plan` does, writes nothing. Per item: desired (the file), \
      configured (the host's files, links and live values), active (the running kernel and \
      services) and a verdict: in sync, drifted (apply fixes it), pending regeneration, \
      pending reboot or restart, unknown. Exit status, as monitoring plugins: 0 in sync, \
      1 pending, 2 drifted or a readiness check failed, 3 unknown (including a desired state \
      or a root that cannot be read).
      """)

  /// The renderings of one report.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    /// One block per item, for people.
    case text
    /// The documented JSON document, with stable IDs.
    case json
    /// One line with performance data, for a monitoring check.
    case line
  }

  @OptionGroup var options: RootOptions

  @Argument(help: "The desired-state file.")
  var spec: String = "host.yaml"

  @Option(help: "text, json or line (one line for a monitoring check).")
  var format: Format = .text

  @Option(
    name: .customLong("metrics-file"),
    help: "Also write the verdict to this file in Prometheus's text format (node_exporter's textfile collector).")
  var metricsFile: String?

  func run() throws {
    let report: DriftReport
    do {
      report = try makeReport()
    } catch let error as SpecError {
      throw unknown(error.description, diagnostics: error.diagnostics)
    } catch let error as RootFailure {
      throw unknown("error: \(error.message)", diagnostics: [Diagnostic(.error, .missingRoot, error.message)])
    } catch {
      throw unknown("error: \(error)", diagnostics: [])
    }
    writeMetrics(report.exposition)
    switch format {
    case .text: print(report.text(), terminator: "")
    case .json: print(JSONOutput.text(report), terminator: "")
    case .line: print(report.summary.line)
    }
    if report.summary.status != .ok { throw ExitCode(report.summary.status.rawValue) }
  }

  /// The report of the desired state on the host: the plan, then the facts for the active column.
  func makeReport() throws -> DriftReport {
    let root: HostRoot
    do {
      root = try options.hostRoot()
    } catch {
      throw RootFailure(message: error.message)
    }
    let text = try EngineSetup.readSpec(spec)
    var engine = EngineSetup.engine(root: root)
    engine.planner.rendersFiles = false
    let plan = try engine.plan(specText: text, specFile: spec)
    return DriftReport(plan: plan, facts: HostFacts.gather(root: root), live: root.isLive)
  }

  /// A root that does not exist or is not a directory.
  private struct RootFailure: Error {
    var message: String
  }

  /// Replaces the metrics file, when one is asked for, as the tuner does (``MetricsFile``);
  /// a failure is a warning and the check's own status stands.
  private func writeMetrics(_ text: String) {
    guard let metricsFile else { return }
    let file = MetricsFile(
      path: metricsFile.hasPrefix("/") ? metricsFile : FileManager.default.currentDirectoryPath + "/" + metricsFile)
    if let warning = file.folderWarning() { EngineSetup.printError(warning) }
    if let failure = file.replace(with: text) { EngineSetup.printError("warning: " + failure) }
  }

  /// Says why nothing could be checked, in the format asked for; the exit status 3 to throw
  /// (never `exit`: the command also runs inside other programs, the tests' process among them).
  private func unknown(_ message: String, diagnostics: [Diagnostic]) -> ExitCode {
    writeMetrics(DriftReport.unknownExposition)
    switch format {
    case .text: EngineSetup.printError(message)
    case .json:
      print(JSONOutput.text(DiagnosticsDocument(diagnostics: diagnostics)), terminator: "")
      EngineSetup.printError(message)
    case .line:
      let first = message.split(separator: "\n").first.map(String.init) ?? message
      print("VIRTHOST UNKNOWN - \(first)")
    }
    return ExitCode(DriftReport.Status.unknown.rawValue)
  }
}
