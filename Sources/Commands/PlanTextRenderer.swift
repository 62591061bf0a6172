import Engine

/// Renders a plan for a terminal: one block per changing resource with its
/// symbol, the diagnostics, then the summary line; with `diff`, the unified
/// diff of every file after the blocks. With a colour ``style``, each block's
/// symbol is coloured (`+` green, `~` yellow, `-` red); nothing else differs.
struct PlanTextRenderer {
  var diff = false
  var style = TerminalStyle.plain

  func render(_ plan: Plan) -> String {
    var output = ""
    for change in plan.pendingChanges {
      output += block(change, regeneration: plan.regeneration?.command) + "\n"
    }
    if diff {
      let text = UnifiedDiff.of(plan.diffedOperations)
      if !text.isEmpty { output += text + "\n" }
    }
    let diagnostics = Self.diagnostics(plan.diagnostics)
    if !diagnostics.isEmpty { output += diagnostics + "\n" }
    // A plan with errors is refused before anything is read for it: no read path to tell.
    if plan.hasErrors { return output + "The plan has errors; it cannot be applied.\n" }
    return output + plan.summary + "\n" + plan.readPath.line + "\n"
  }

  /// One resource's block; `regeneration` is the boot loader's regeneration command, when the plan has one.
  func block(_ change: ResourceChange, regeneration: [String]? = nil) -> String {
    let verbs = change.actions.map(\.participle)
    var lines = ["\(style.paint(symbol: change.symbol)) \(change.address) will be \(verbs.joined(separator: " and "))"]
    func field(_ name: String, _ value: String?) {
      guard let value, !value.isEmpty else { return }
      lines.append("    \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(value)")
    }
    field("from:", change.origin)
    field("why:", change.reason)
    field("before:", change.before)
    field("after:", change.after)
    for (index, file) in change.files.enumerated() {
      let command = file.command.map { "  (live host: \($0.role == .afterWrite ? "then " : "by ")\($0.shown))" } ?? ""
      field(index == 0 ? "files:" : "", "\(file.action.rawValue) \(file.path)" + command)
    }
    for operation in change.operations {
      if case .runAfterFiles(let command) = operation { field("run:", command.shown + "  (on the live host)") }
    }
    if change.regeneratesBootLoader, let regeneration {
      field("then:", regeneration.joined(separator: " ") + "  (once, after every file)")
    }
    for definition in change.domainDefinitions {
      let target =
        switch definition.target {
        case .libvirt(let uri): "through \(uri)"
        case .refused(let reason): reason
        }
      field("define:", "\(definition.name) from \(definition.xml.path)  (\(target))")
    }
    for (index, live) in change.runningDomainChanges.enumerated() {
      field(index == 0 ? "live:" : "", live.words)
    }
    for (index, link) in change.links.enumerated() {
      let sign = link.kind == .create ? "+" : "-"
      field(index == 0 ? "links:" : "", "\(sign) \(link.path) -> \(link.target)")
    }
    if let installed = change.enableAfterInstall {
      field("links:", "computed once \(installed) is installed")
    }
    for (index, write) in change.liveWrites.enumerated() {
      field(index == 0 ? "writes:" : "", "\(write.value) > \(write.path)" + (write.purpose.map { "  (\($0))" } ?? ""))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Diagnostics, most serious first: `warning: …` (spelled as the desired state's errors and
  /// every command's, `error: …`) with the resource or key and the detail below.
  static func diagnostics(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map { diagnostic in
      var lines = ["\(diagnostic.severity.rawValue): \(diagnostic.summary)"]
      let place = [diagnostic.address?.description, diagnostic.keyPath.map { "from \($0)" }].compactMap { $0 }
      if let location = diagnostic.location { lines[0] = "\(location): " + lines[0] }
      if !place.isEmpty { lines.append("  " + place.joined(separator: ", ")) }
      if let detail = diagnostic.detail { lines.append("  " + detail) }
      return lines.joined(separator: "\n") + "\n"
    }.joined()
  }
}
