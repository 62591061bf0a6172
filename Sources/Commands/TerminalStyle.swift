import ArgumentParser
import Foundation

/// How output for people is dressed for a terminal: the plan's symbols in colour and a
/// progress line that the step's result replaces. Programs reading a pipe get neither.
struct TerminalStyle: Equatable, Sendable {
  /// Whether the plan's `+`, `~` and `-` are coloured (green, yellow, red).
  var color: Bool
  /// Whether a step of apply or rollback shows a line while it runs (a regeneration or an
  /// initramfs build takes a while), replaced by its result.
  var progress: Bool

  /// Plain text: no colour, no progress line.
  static let plain = TerminalStyle(color: false, progress: false)

  /// The decision, from what the process knows: colour only when standard output is a
  /// terminal, `NO_COLOR` is unset or empty (no-color.org: any non-empty value turns it
  /// off) and `--no-color` was not given; a progress line whenever standard output is a
  /// terminal that can erase a line (`TERM` is not `dumb`).
  static func decide(isTerminal: Bool, noColor: String?, noColorFlag: Bool, term: String?) -> TerminalStyle {
    let canErase = isTerminal && term != "dumb"
    return TerminalStyle(
      color: canErase && !noColorFlag && (noColor ?? "").isEmpty, progress: canErase)
  }

  /// The decision for this process's standard output and environment.
  static func current(noColorFlag: Bool) -> TerminalStyle {
    let environment = ProcessInfo.processInfo.environment
    return decide(
      isTerminal: isatty(STDOUT_FILENO) == 1, noColor: environment["NO_COLOR"], noColorFlag: noColorFlag,
      term: environment["TERM"])
  }

  /// `symbol` (a plan's `+`, `~`, `-`) in its colour when ``color`` is on; as it is otherwise.
  func paint(symbol: String) -> String {
    guard color else { return symbol }
    let code =
      switch symbol {
      case "+": "32"
      case "~": "33"
      case "-": "31"
      default: ""
      }
    return code.isEmpty ? symbol : "\u{1B}[\(code)m\(symbol)\u{1B}[0m"
  }

  /// What erases the progress line before the next one: a carriage return and "erase to
  /// the end of the line" when ``progress`` is on; nothing otherwise.
  var eraseLine: String { progress ? "\r\u{1B}[K" : "" }
}

/// The `--no-color` flag of the commands that print a plan.
struct StyleOptions: ParsableArguments {
  @Flag(help: "Print the plan without colour (as the NO_COLOR environment variable does).")
  var noColor = false

  /// The style for this process's standard output.
  var style: TerminalStyle { TerminalStyle.current(noColorFlag: noColor) }
}
