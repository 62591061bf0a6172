/// Which way a plan read the host's files: the converged fast path (the trace of the last
/// converged apply matched, so the file part of the plan is known empty without parsing) or
/// the full path (every file parsed), each with the reason in words.
public enum ReadPath: Sendable, Equatable {
  /// The trace matched; the reason says what was re-checked.
  case converged(String)
  /// Every file was parsed; the reason says why the fast path was not taken.
  case full(String)

  /// `converged` or `full`: the JSON field's value.
  public var name: String {
    switch self {
    case .converged: "converged"
    case .full: "full"
    }
  }

  /// Why this path.
  public var reason: String {
    switch self {
    case .converged(let reason), .full(let reason): reason
    }
  }

  /// The one line a text plan ends with: `Read path: full (no trace of a converged apply).`
  public var line: String {
    switch self {
    case .converged(let reason): "Read path: converged fast path, nothing parsed (\(reason))."
    case .full(let reason): "Read path: full (\(reason))."
    }
  }
}
