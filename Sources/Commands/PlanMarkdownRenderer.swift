import Engine

/// Renders a plan as a review comment: the summary, a table of the changing
/// resources, the diagnostics as quotes, and each file's diff in a fenced block.
struct PlanMarkdownRenderer {
  func render(_ plan: Plan) -> String {
    var output =
      "### virthost plan\n\n**\(plan.hasErrors ? "The plan has errors; it cannot be applied." : plan.summary)**\n"
    let changes = plan.pendingChanges
    if !changes.isEmpty {
      output += "\n|  | Resource | Actions | From | Why |\n|---|---|---|---|---|\n"
      for change in changes {
        let actions = change.actions.map(\.rawValue).joined(separator: ", ")
        output +=
          "| `\(change.symbol)` | `\(change.address)` | \(actions) | `\(change.origin)` | \(cell(change.reason)) |\n"
      }
    }
    if let regeneration = plan.regeneration {
      output +=
        "\nThe boot loader is regenerated once, after the files: `\(regeneration.command.joined(separator: " "))`.\n"
    }
    for change in changes {
      for case .runAfterFiles(let command) in change.operations {
        output += "\nRun on the live host for `\(change.address)`: `\(command.shown)`.\n"
      }
    }
    for diagnostic in plan.diagnostics {
      let place = diagnostic.address.map { " (`\($0)`)" } ?? diagnostic.keyPath.map { " (`\($0)`)" } ?? ""
      output += "\n> **\(diagnostic.severity.rawValue.capitalized):** \(diagnostic.summary)\(place)\n"
      if let detail = diagnostic.detail { output += "> \(detail)\n" }
    }
    for operation in plan.diffedOperations {
      output += "\n#### `\(operation.path)`\n\n```diff\n\(UnifiedDiff.of(operation))```\n"
    }
    return output
  }

  private func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
