/// A desired-state file that cannot be used: every problem found in it, each with
/// its line, column and key path. Nothing is planned from such a file.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The problems, in file order; never empty.
  public var diagnostics: [Diagnostic]

  /// Creates the error from its problems.
  public init(diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics
  }

  /// One line per problem: `host.yaml:4:3: error: ksm.tunr: unknown key; did you mean "tuner"?`.
  public var description: String {
    diagnostics.map { diagnostic in
      var line = diagnostic.location.map { "\($0): " } ?? ""
      line += "\(diagnostic.severity.rawValue): "
      if let keyPath = diagnostic.keyPath { line += "\(keyPath): " }
      return line + diagnostic.summary
    }.joined(separator: "\n")
  }
}
