import Engine
import Foundation
import TestSupport
import Testing

@testable import Commands

/// Terminal manners: colour and progress lines on a terminal only,
/// never with `NO_COLOR` (any non-empty value) or `--no-color`.
@Suite struct TerminalStyleTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var isTerminal: Bool
    var noColor: String?
    var flag: Bool
    var term: String?
    var color: Bool
    var progress: Bool
    var testDescription: String {
      "tty=\(isTerminal) NO_COLOR=\(noColor.map { "'\($0)'" } ?? "unset") --no-color=\(flag) TERM=\(term ?? "unset")"
    }
  }

  static let cases: [Case] = [
    Case(isTerminal: true, noColor: nil, flag: false, term: "xterm", color: true, progress: true),
    Case(isTerminal: true, noColor: "", flag: false, term: "xterm", color: true, progress: true),
    Case(isTerminal: true, noColor: "1", flag: false, term: "xterm", color: false, progress: true),
    Case(isTerminal: true, noColor: "0", flag: false, term: "xterm", color: false, progress: true),
    Case(isTerminal: true, noColor: nil, flag: true, term: "xterm", color: false, progress: true),
    Case(isTerminal: true, noColor: "1", flag: true, term: nil, color: false, progress: true),
    Case(isTerminal: true, noColor: nil, flag: false, term: "dumb", color: false, progress: false),
    Case(isTerminal: false, noColor: nil, flag: false, term: "xterm", color: false, progress: false),
    Case(isTerminal: false, noColor: "1", flag: true, term: "xterm", color: false, progress: false),
  ]

  @Test(arguments: cases) func theDecisionFollowsTheTerminalNoColorAndTheFlag(_ c: Case) {
    #expect(
      TerminalStyle.decide(isTerminal: c.isTerminal, noColor: c.noColor, noColorFlag: c.flag, term: c.term)
        == TerminalStyle(color: c.color, progress: c.progress))
  }

  static let changes = [
    ResourceChange(
      ResourceAddress(.file, "/etc/a"), actions: [.create], before: "absent", after: "installed", reason: "r",
      origin: "o"),
    ResourceChange(
      ResourceAddress(.service, "ksm"), actions: [.update], before: "x", after: "y", reason: "r", origin: "o"),
    ResourceChange(
      ResourceAddress(.service, "ksmtuned"), actions: [.disable, .stop], before: nil, after: nil, reason: "r",
      origin: "o"),
  ]

  @Test func withColourOnlyTheSymbolsAreColouredByteForByte() {
    let colour = PlanTextRenderer(style: TerminalStyle(color: true, progress: true))
    #expect(
      Self.changes.map { colour.block($0) } == [
        "\u{1B}[32m+\u{1B}[0m file[\"/etc/a\"] will be created\n    from:    o\n    why:     r\n"
          + "    before:  absent\n    after:   installed\n",
        "\u{1B}[33m~\u{1B}[0m service[\"ksm\"] will be updated\n    from:    o\n    why:     r\n"
          + "    before:  x\n    after:   y\n",
        "\u{1B}[31m-\u{1B}[0m service[\"ksmtuned\"] will be disabled and stopped\n    from:    o\n    why:     r\n",
      ])
    let plain = PlanTextRenderer()
    #expect(
      Self.changes.map { plain.block($0) } == [
        "+ file[\"/etc/a\"] will be created\n    from:    o\n    why:     r\n    before:  absent\n    after:   installed\n",
        "~ service[\"ksm\"] will be updated\n    from:    o\n    why:     r\n    before:  x\n    after:   y\n",
        "- service[\"ksmtuned\"] will be disabled and stopped\n    from:    o\n    why:     r\n",
      ])
  }

  @Test func onATerminalARunningLineIsShownAndReplacedByTheResult() {
    let step = "regenerate the boot loader (update-grub)"
    let live = ProgressPrinter(style: TerminalStyle(color: false, progress: true))
    #expect(live.text(ApplyEvent(step: step, outcome: .started)) == "  running  \(step) ...")
    #expect(live.text(ApplyEvent(step: step, outcome: .done)) == "\r\u{1B}[K  done     \(step)\n")
    #expect(live.text(ApplyEvent(step: step, outcome: .failed("no"))) == "\r\u{1B}[K  FAILED   \(step): no\n")
    let plain = ProgressPrinter()
    #expect(plain.text(ApplyEvent(step: step, outcome: .started)) == "")
    #expect(plain.text(ApplyEvent(step: step, outcome: .done)) == "  done     \(step)\n")
    #expect(plain.text(ApplyEvent(step: step, outcome: .skipped("why"))) == "  skipped  \(step): why\n")
  }

  /// `virthost plan` on the centos6-amd example, its standard output a pipe or (through
  /// util-linux's `script`) a terminal.
  func plan(terminal: Bool, noColor: String? = nil, flag: Bool = false) throws -> ProgramRun {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let spec = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path
    let arguments = ["plan", spec, "--root", root.path] + (flag ? ["--no-color"] : [])
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = noColor
    environment["TERM"] = "xterm"
    guard terminal else { return try ProgramRun.run(ProgramRun.virthost, arguments, environment: environment) }
    let command = ([ProgramRun.virthost] + arguments).map { "'\($0)'" }.joined(separator: " ")
    return try ProgramRun.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
  }

  @Test func aPipedPlanHasNoEscapeBytesAndATerminalGetsColourUnlessTurnedOff() throws {
    let piped = try plan(terminal: false)
    #expect(piped.status == 0)
    #expect(piped.output.hasPrefix("~ kernel_args[\"all\"] will be updated\n"))
    #expect(!piped.output.utf8.contains(0x1B))
    let terminal = try plan(terminal: true)
    #expect(terminal.output.hasPrefix("\u{1B}[33m~\u{1B}[0m kernel_args[\"all\"] will be updated\r\n"))
    #expect(!(try plan(terminal: true, noColor: "1")).output.utf8.contains(0x1B))
    #expect(!(try plan(terminal: true, flag: true)).output.utf8.contains(0x1B))
  }
}
