/// The checks a value must pass before it is written to `/etc/ksmtuned.conf`,
/// and the quoting that makes it read back the same.
///
/// The file is sourced by bash as root, so anything the shell would expand,
/// run or reinterpret is refused outright rather than escaped.
enum KsmtunedValueCheck {
  /// Characters a value may hold without quotes.
  static let bare = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:+,=@%-")

  /// Why `value` cannot stand in a shell file, or `nil` when it can.
  static func shellProblem(_ value: String) -> String? {
    if value.contains("$(") { return "command substitution $(...)" }
    for character in value {
      switch character {
      case "`": return "command substitution `...`"
      case "$": return "parameter expansion $"
      case ";": return "the command separator ;"
      case "\n", "\r", "\r\n": return "a newline"
      case "&", "|", "<", ">", "(", ")": return "the shell operator \(character)"
      case "\"", "'", "\\": return "the quoting character \(character)"
      default:
        if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
          return "a control character"
        }
      }
    }
    return nil
  }

  /// `value` as it appears in a message: in single quotes, newlines shown as `\n`.
  static func shown(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") + "'"
  }

  /// Checks `value` for `setting`; returns the message of the first problem.
  static func problem(_ setting: KsmtunedSetting, _ value: String) -> String? {
    let name = setting.rawValue
    if let what = shellProblem(value) {
      return "\(name)=\(shown(value)) refused: it contains \(what), which the shell that sources "
        + "\(KsmtunedConfEditor.path) would interpret"
    }
    if value.isEmpty { return "\(name) cannot be empty; unset it instead" }
    if setting.isInteger {
      guard let number = Int(value), value == String(number) else {
        return "\(name) must be a decimal integer (ksmtuned does arithmetic with it), not \(shown(value))"
      }
      if let minimum = setting.minimum, number < minimum { return "\(name) must be at least \(minimum), not \(value)" }
      if let maximum = setting.maximum, number > maximum { return "\(name) must be at most \(maximum), not \(value)" }
    }
    if setting == .logFile, !value.hasPrefix("/") {
      return "LOGFILE must be an absolute path, not \(shown(value))"
    }
    return nil
  }

  /// `value` written so that the shell reads it back unchanged: bare when it
  /// is plain, in single quotes otherwise (a value that passed ``problem(_:_:)`` has no quote).
  static func quoted(_ value: String) -> String {
    value.allSatisfy(bare.contains) ? value : "'" + value + "'"
  }

  /// The value the shell sees for a value node of the Shellvars lens, which keeps the quotes.
  static func unquoted(_ raw: String) -> String {
    if raw.count >= 2, let first = raw.first, first == "\"" || first == "'", raw.last == first {
      return String(raw.dropFirst().dropLast())
    }
    return raw
  }
}
