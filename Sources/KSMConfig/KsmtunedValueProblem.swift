/// Why a value cannot be written to `/etc/ksmtuned.conf` (see
/// ``KsmtunedSetting/problem(with:)``); its description is the rest of a sentence that
/// starts with the setting (`must be at least 1, not 0`), for the desired state's
/// messages and the editor's alike.
public enum KsmtunedValueProblem: Error, Sendable, Equatable, CustomStringConvertible {
  /// The value is empty: unset the setting instead.
  case empty
  /// The value of an integer setting is not a decimal integer that fits 64 bits.
  case notInteger(String)
  /// The integer is written with leading zeros, which the shell reads as octal.
  case leadingZero(String)
  /// The integer is below the setting's minimum (minimum, value).
  case belowMinimum(Int, Int)
  /// The integer is above the setting's maximum (maximum, value).
  case aboveMaximum(Int, Int)
  /// `LOGFILE` is not an absolute path.
  case notAbsolute(String)
  /// The value holds what the shell that sources the file would interpret.
  case shellSyntax(ShellSyntax)
  /// `KSM_NPAGES_MIN` would be greater than `KSM_NPAGES_MAX` (minimum, maximum).
  case minimumAboveMaximum(Int, Int)
  /// A desired `DEBUG` is neither true nor false (see ``KsmtunedSetting/desiredValue(_:)``).
  case notBoolean(String)

  public var description: String {
    switch self {
    case .empty: "cannot be empty; unset it instead"
    case .notInteger(let value): "must be a whole number, not \(Self.shown(value))"
    case .leadingZero(let value):
      "must be written without leading zeros (the shell reads them as octal), not \(Self.shown(value))"
    case .belowMinimum(let minimum, let value): "must be at least \(minimum), not \(value)"
    case .aboveMaximum(let maximum, let value): "must be at most \(maximum), not \(value)"
    case .notAbsolute(let value): "must be an absolute path, not \(Self.shown(value))"
    case .shellSyntax(let syntax):
      "must not contain \(syntax), which the shell that sources \(KsmtunedConf.path) would interpret"
    case .minimumAboveMaximum(let minimum, let maximum):
      "(\(minimum)) must not be greater than KSM_NPAGES_MAX (\(maximum))"
    case .notBoolean(let value): "must be true or false, not \(Self.shown(value))"
    }
  }

  /// `value` as a message shows it: in double quotes, line ends as `\n` and `\r`.
  static func shown(_ value: String) -> String {
    var text = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      default: text.unicodeScalars.append(scalar)
      }
    }
    return text + "\""
  }
}

/// Shell syntax a ksmtuned.conf value may not hold: the file is sourced by bash as root,
/// so anything the shell would expand, run or reinterpret is refused, never escaped.
public enum ShellSyntax: Sendable, Equatable, CustomStringConvertible {
  case commandSubstitution, backticks, parameterExpansion, commandSeparator, newline, controlCharacter
  /// `&`, `|`, `<`, `>`, `(` or `)`.
  case shellOperator(Character)
  /// `"`, `'` or `\`.
  case quoting(Character)

  /// The first shell syntax in `value`, or `nil` when it has none.
  public static func first(in value: String) -> ShellSyntax? {
    if value.contains("$(") { return .commandSubstitution }
    for character in value {
      switch character {
      case "`": return .backticks
      case "$": return .parameterExpansion
      case ";": return .commandSeparator
      case "\n", "\r", "\r\n": return .newline
      case "&", "|", "<", ">", "(", ")": return .shellOperator(character)
      case "\"", "'", "\\": return .quoting(character)
      default:
        if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
          return .controlCharacter
        }
      }
    }
    return nil
  }

  public var description: String {
    switch self {
    case .commandSubstitution: "command substitution $(...)"
    case .backticks: "command substitution `...`"
    case .parameterExpansion: "parameter expansion $"
    case .commandSeparator: "the command separator ;"
    case .newline: "a newline"
    case .controlCharacter: "a control character"
    case .shellOperator(let character): "the shell operator \(character)"
    case .quoting(let character): "the quoting character \(character)"
    }
  }
}
