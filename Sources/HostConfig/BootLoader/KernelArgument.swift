/// Which boot entries kernel arguments apply to: `kernel.entries` in the desired state,
/// the `kernel_args` resource's name, and the editor's selection, one value throughout.
public enum EntrySelection: String, Sendable, Codable, CaseIterable {
  /// Every entry that boots a Linux kernel (chainloader/DOS entries are left alone).
  case all
  /// The entry the boot loader starts by default.
  case `default`
}

/// One kernel command-line argument: a flag (`quiet`) or `key=value` (`amd_iommu=on`).
public struct KernelArgument: Sendable, Hashable, CustomStringConvertible {
  /// The part before the first `=`, or the whole flag.
  public var key: String
  /// The part after the first `=`; `nil` for a flag. `""` only when read from a
  /// file that has `key=` (``init(parsing:)`` refuses it).
  public var value: String?

  /// Creates an argument without checking it; the boot-loader editor checks it
  /// (``validate()``) before editing anything.
  public init(key: String, value: String?) {
    self.key = key
    self.value = value
  }

  /// Parses `quiet` or `key=value`, refusing what cannot be written safely into
  /// a boot loader configuration: whitespace, quotes, shell characters,
  /// control characters, an empty key or an empty value after `=`.
  public init(parsing text: String) throws(ConfigFileError) {
    guard let equals = text.firstIndex(of: "=") else {
      self.init(key: text, value: nil)
      try validate(text: text)
      return
    }
    self.init(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    try validate(text: text)
  }

  /// Splits one word of a command line the kernel was booted with (`/proc/cmdline`) at
  /// its first `=`, without the checks of ``init(parsing:)``: what is running is read as
  /// it is, even where virthost would refuse to write it.
  public init(word: String) {
    if let equals = word.firstIndex(of: "=") {
      self.init(key: String(word[..<equals]), value: String(word[word.index(after: equals)...]))
    } else {
      self.init(key: word, value: nil)
    }
  }

  /// `quiet` or `amd_iommu=on`.
  public var description: String {
    value.map { "\(key)=\($0)" } ?? key
  }

  /// Characters a value may not hold: they would need quoting in a kernel
  /// line, in a shell-quoted `/etc/default/grub` value or in grub.cfg.
  static let forbiddenInValue: Set<Character> = ["\"", "'", "`", "\\", "$", ";", "&", "|", "<", ">"]

  /// Checks that the argument can be written safely into a boot loader configuration;
  /// the error quotes the argument and says what is wrong.
  public func validate() throws(ConfigFileError) { try validate(text: nil) }

  /// Checks the argument; the error quotes `text` (or the argument) and says what is wrong.
  func validate(text: String?) throws(ConfigFileError) {
    let shown = text ?? description
    func refuse(_ reason: String) -> ConfigFileError {
      ConfigFileError(message: "kernel argument \(quote(shown)) \(reason)")
    }
    if shown.isEmpty { throw ConfigFileError(message: "an empty kernel argument was given") }
    for character in shown {
      if character.isWhitespace || character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        throw refuse(
          "contains whitespace or a control character (space, tab, newline, NUL…): give one argument per item, unquoted"
        )
      }
      if character == "\"" || character == "'" {
        throw refuse("contains a quote: quoted arguments are not supported, give the bare value")
      }
    }
    if key.isEmpty { throw refuse("has an empty key before '='") }
    let first = key.unicodeScalars.first!
    let keyOK =
      key.unicodeScalars.allSatisfy { Self.isKeyCharacter($0) }
      && ((first >= "0" && first <= "9") || Self.isLetter(first) || first == "_")
    if !keyOK {
      throw refuse(
        "has an invalid key \(quote(key)): a key is ASCII letters, digits, '_', '.' and '-', starting with a letter, digit or '_'"
      )
    }
    if let value {
      if value.isEmpty {
        throw refuse("has an empty value after '=': give a value, or the flag \(quote(key)) without '='")
      }
      if let bad = value.first(where: { Self.forbiddenInValue.contains($0) }) {
        throw refuse("contains \(quote(String(bad))), which cannot be written safely into a boot loader configuration")
      }
    }
  }

  static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
  }

  static func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
    isLetter(scalar) || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "." || scalar == "-"
  }
}

/// `text` in single quotes, as messages quote arguments and keys.
func quote(_ text: String) -> String { "'\(text)'" }
