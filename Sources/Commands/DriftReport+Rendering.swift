extension DriftReport {
  /// The report for people: one block per item (verdict, ID, desired / configured / active),
  /// the readiness checks that do not pass, the plan's errors and warnings, then the line.
  func text() -> String {
    var lines: [String] = []
    let width = Verdict.allCases.map(\.words.count).max() ?? 0
    for item in items {
      lines.append(item.verdict.words.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + item.id)
      for (name, value) in [
        ("desired", item.desired), ("configured", item.configured), ("active", item.active), ("why", item.reason),
      ] where !value.isEmpty {
        lines.append("    " + (name + ":").padding(toLength: 12, withPad: " ", startingAt: 0) + value)
      }
    }
    let notPassing = checks.filter { $0.level != .pass }
    if !notPassing.isEmpty {
      lines.append("")
      lines.append("Readiness (\(checks.count - notPassing.count) of \(checks.count) pass):")
      for check in notPassing {
        lines.append("  \(check.level.rawValue)  \(check.name): \(check.message)")
      }
    }
    let diagnostics = PlanTextRenderer.diagnostics(diagnostics)
    if !diagnostics.isEmpty {
      lines.append("")
      lines.append(diagnostics.trimmingSuffixNewlines)
    }
    lines.append("")
    lines.append(summary.line)
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  /// The text without its trailing newlines.
  fileprivate var trimmingSuffixNewlines: String {
    var text = self
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
