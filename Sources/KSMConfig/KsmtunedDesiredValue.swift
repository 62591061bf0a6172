/// What the desired state asks of one ksmtuned.conf setting: a value to assign, or no
/// assignment at all (the shipped commented default back in place).
///
/// Kept as this enum from the spec to the plan, so that "unset" is never a string that
/// could be written to the file.
public enum KsmtunedDesiredValue: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// `NAME=value`, the value as the file writes it (before quoting).
  case set(String)
  /// No assignment: ksmtuned uses its default, or leaves `LOGFILE` and `DEBUG` unset.
  case unset

  /// The value as the plan shows it: the value, or `unset`.
  public var description: String {
    switch self {
    case .set(let value): value
    case .unset: "unset"
    }
  }
}

extension KsmtunedSetting {
  /// The spellings of `true` and `false` that a desired value of `DEBUG` accepts.
  static let trueWords: Set<String> = ["true", "yes", "on", "1"]
  static let falseWords: Set<String> = ["false", "no", "off", "0"]

  /// The file value for `text`, a value the desired state gives this setting, or the
  /// problem with it.
  ///
  /// `DEBUG` is a boolean there (`true|yes|on|1`, `false|no|off|0`, any case), because
  /// ksmtuned turns debugging on for any non-empty value (see ``isDebugging(_:)``): true
  /// becomes `DEBUG=1` as shipped, false no assignment at all. Every other setting takes
  /// its text as ``problem(with:)`` allows it. Not for values read from the file.
  public func desiredValue(_ text: String) -> Result<KsmtunedDesiredValue, KsmtunedValueProblem> {
    if self == .debug {
      let word = text.lowercased()
      if Self.trueWords.contains(word) { return .success(.set(shippedValue)) }
      if Self.falseWords.contains(word) { return .success(.unset) }
      return .failure(.notBoolean(text))
    }
    if let problem = problem(with: text) { return .failure(problem) }
    return .success(.set(text))
  }

  /// Whether the file's `DEBUG` value `raw` (as written after `DEBUG=`, quotes and all)
  /// turns debugging on, as ksmtuned decides it: `[ -n "$DEBUG" ]`, any non-empty value,
  /// `false` and `0` included; `nil` (no assignment) is off.
  public static func isDebugging(_ raw: String?) -> Bool {
    guard let raw else { return false }
    return !KsmtunedConf.unquoted(raw).isEmpty
  }
}
