/// Why the engine did not (or not fully) apply a plan or roll one back; each case
/// reads as a message a user can act on.
public enum EngineError: Error, Sendable, CustomStringConvertible {
  /// The desired-state file is invalid.
  case spec(SpecError)
  /// The saved plan file cannot be read.
  case planFile(PlanFileError)
  /// The plan has errors; nothing was applied.
  case planHasErrors([Diagnostic])
  /// A saved plan no longer matches the host: each line says what changed.
  case stale([String])
  /// Another apply holds the root's lock.
  case locked(String)
  /// A step failed; what was and was not applied.
  case failed(ApplyFailure)
  /// The apply finished, but planning again still finds changes.
  case notConverged(Plan)
  /// Nothing to roll back, or the backup is unusable.
  case rollback(String)
  /// A read or write under the root failed.
  case io(String)

  /// The message.
  public var description: String {
    switch self {
    case .spec(let error): return error.description
    case .planFile(let error): return error.description
    case .planHasErrors(let diagnostics):
      let lines = diagnostics.filter { $0.severity == .error }.map { d in
        "error: " + (d.address.map { "\($0): " } ?? d.keyPath.map { "\($0): " } ?? "") + d.summary
      }
      return (lines + ["Nothing was applied."]).joined(separator: "\n")
    case .stale(let reasons):
      return
        (["The saved plan is stale; nothing was applied. Since it was made:"] + reasons.map { "  - \($0)" }
        + ["Run `virthost plan` again."]).joined(separator: "\n")
    case .locked(let message): return message
    case .failed(let failure): return failure.description
    case .notConverged(let plan):
      let left = plan.pendingChanges.map { "  - \($0.address)" }
      return (["The apply finished, but the host still differs from the desired state:"] + left).joined(separator: "\n")
    case .rollback(let message): return message
    case .io(let message): return message
    }
  }
}

/// A failed apply: the step that failed, why, and what was and was not applied.
public struct ApplyFailure: Sendable, CustomStringConvertible {
  /// The step that failed (`write /etc/ksmtuned.conf`).
  public var step: String
  /// Why.
  public var message: String
  /// The steps done before it.
  public var applied: [String]
  /// The steps not done.
  public var notApplied: [String]
  /// The backup with the files as they were, for `virthost rollback`.
  public var backup: String?

  /// Several lines: the failure, then both lists.
  public var description: String {
    var lines = ["Apply failed at \(step): \(message)"]
    lines.append("Applied: " + (applied.isEmpty ? "nothing" : ""))
    lines += applied.map { "  - \($0)" }
    lines.append("Not applied: " + (notApplied.isEmpty ? "nothing" : ""))
    lines += notApplied.map { "  - \($0)" }
    if let backup { lines.append("The files as they were are in backup \(backup); `virthost rollback` restores them.") }
    return lines.joined(separator: "\n")
  }
}
