import Engine
import Foundation

/// Prints apply and rollback progress, one line per step; on a terminal
/// (``TerminalStyle/progress``), a `running` line while a step runs, which its
/// result replaces.
final class ProgressPrinter: Sendable {
  let style: TerminalStyle

  init(style: TerminalStyle = .plain) { self.style = style }

  /// Shows `event`.
  func show(_ event: ApplyEvent) {
    let text = text(event)
    guard !text.isEmpty else { return }
    print(text, terminator: "")
    fflush(nil)
  }

  /// What ``show(_:)`` prints for `event`.
  func text(_ event: ApplyEvent) -> String {
    switch event.outcome {
    case .started: style.progress ? "  running  \(event.step) ..." : ""
    case .done: style.eraseLine + "  done     \(event.step)\n"
    case .skipped(let reason): style.eraseLine + "  skipped  \(event.step): \(reason)\n"
    case .failed(let message): style.eraseLine + "  FAILED   \(event.step): \(message)\n"
    }
  }
}
