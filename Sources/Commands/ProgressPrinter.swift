import Engine
import Foundation

/// Prints apply and rollback progress, one line per step.
final class ProgressPrinter: Sendable {
  /// Shows `event`.
  func show(_ event: ApplyEvent) {
    switch event.outcome {
    case .started: return
    case .done: print("  done     \(event.step)")
    case .skipped(let reason): print("  skipped  \(event.step): \(reason)")
    case .failed(let message): print("  FAILED   \(event.step): \(message)")
    }
    fflush(nil)
  }
}
