/// One verdict about the host's readiness for KVM, in the spirit of libvirt's
/// `virt-host-validate`: a level, what was found, and what to do about it.
public struct ReadinessCheck: Sendable, Codable, Equatable {
  /// How serious a check's outcome is.
  public enum Level: String, Codable, Sendable {
    /// Ready.
    case pass = "PASS"
    /// Works, but not as well as it could, or cannot be told: act on the hint if it matters.
    case warn = "WARN"
    /// KVM guests cannot run until this is fixed.
    case fail = "FAIL"
  }

  /// What is checked, in a few stable words (`hardware virtualization`).
  public var name: String
  /// The outcome.
  public var level: Level
  /// What was found, as a sentence.
  public var message: String
  /// What to do, for a level other than `pass`; `nil` when there is nothing to do.
  public var hint: String?

  /// Creates a check's outcome.
  public init(name: String, level: Level, message: String, hint: String? = nil) {
    self.name = name
    self.level = level
    self.message = message
    self.hint = hint
  }

  /// The warning for a check whose fact is unknown: `cannot tell: <reason>`, no hint.
  static func cannotTell<T>(_ name: String, _ fact: Fact<T>) -> ReadinessCheck {
    ReadinessCheck(name: name, level: .warn, message: "cannot tell: \(fact.unknown ?? "unknown")")
  }

  private enum CodingKeys: String, CodingKey {
    case name, level, message, hint
  }

  /// Writes every key, `hint` as `null` when there is none.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(level, forKey: .level)
    try container.encode(message, forKey: .message)
    try container.encode(hint, forKey: .hint)
  }
}
