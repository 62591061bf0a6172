/// Which boot entries a kernel-argument request applies to.
public enum EntrySelection: String, Sendable, Codable {
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

  /// Creates an argument without checking it; ``BootLoaderEditor/ensure(_:)``
  /// checks it before editing anything.
  public init(key: String, value: String?) {
    self.key = key
    self.value = value
  }

  /// Parses `quiet` or `key=value`, refusing what cannot be written safely into
  /// a boot loader configuration: whitespace, quotes, shell characters,
  /// control characters, an empty key or an empty value after `=`.
  public init(parsing text: String) throws(EditorError) {
    guard let equals = text.firstIndex(of: "=") else {
      self.init(key: text, value: nil)
      try validate(text: text)
      return
    }
    self.init(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    try validate(text: text)
  }

  /// `quiet` or `amd_iommu=on`.
  public var description: String {
    value.map { "\(key)=\($0)" } ?? key
  }

  /// Characters a value may not hold: they would need quoting in a kernel
  /// line, in a shell-quoted `/etc/default/grub` value or in grub.cfg.
  static let forbiddenInValue: Set<Character> = ["\"", "'", "`", "\\", "$", ";", "&", "|", "<", ">"]

  /// Checks the argument; the error quotes `text` (or the argument) and says what is wrong.
  func validate(text: String? = nil) throws(EditorError) {
    let shown = text ?? description
    func refuse(_ reason: String) -> EditorError {
      EditorError(message: "kernel argument \(quote(shown)) \(reason)")
    }
    if shown.isEmpty { throw EditorError(message: "an empty kernel argument was given") }
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

func quote(_ text: String) -> String { "'\(text)'" }

/// What must be true of the kernel arguments of the selected entries.
///
/// Semantics (those of `grubby` and the admins' habits):
/// - a `key=value` whose key already stands on the line is replaced in place,
///   otherwise appended at the end of the line;
/// - a flag is a bare word (`quiet`, never `quiet=`);
/// - a key given several times (`console=tty0 console=ttyS1,115200`) means
///   exactly those occurrences, in that order; one given once means exactly one;
/// - `absent` `key` removes every occurrence of the key, `key=value` only the
///   occurrences with that value.
public struct KernelArgsRequest: Sendable, Equatable {
  /// Which entries are edited.
  public var entries: EntrySelection
  /// The arguments that must stand on the selected entries.
  public var present: [KernelArgument]
  /// The arguments that must not.
  public var absent: [KernelArgument]

  /// Creates a request.
  public init(entries: EntrySelection, present: [KernelArgument], absent: [KernelArgument]) {
    self.entries = entries
    self.present = present
    self.absent = absent
  }

  /// Checks every argument and that no argument is both present and absent.
  func validate() throws(EditorError) {
    for argument in present + absent { try argument.validate() }
    for wanted in present {
      for unwanted in absent
      where unwanted.key == wanted.key && (unwanted.value == nil || unwanted.value == wanted.value) {
        throw EditorError(
          message:
            "kernel argument \(quote(wanted.description)) is asked both present and absent (\(quote(unwanted.description)))"
        )
      }
    }
  }

  /// The present arguments grouped by key, keys in order of first appearance.
  var presentByKey: [(key: String, values: [String?])] {
    var order: [String] = []
    var values: [String: [String?]] = [:]
    for argument in present {
      if values[argument.key] == nil { order.append(argument.key) }
      values[argument.key, default: []].append(argument.value)
    }
    return order.map { ($0, values[$0]!) }
  }
}

/// The boot loader configuration a root uses.
public enum BootLoaderKind: String, Sendable, Codable {
  /// GRUB 0.97: `/boot/grub/menu.lst`, `grub.conf` (CentOS/RHEL ≤ 6).
  case grubLegacy = "grub-legacy"
  /// GRUB 2 configured through `/etc/default/grub` and a generated grub.cfg.
  case grub2
  /// Boot Loader Specification entries, `/boot/loader/entries/*.conf` (RHEL 8/9, Fedora).
  case bls
}

/// One boot entry and its kernel arguments, as the editor reads them.
///
/// For GRUB 2 the entries are generated, so the editor reports two summaries
/// of `/etc/default/grub` instead: index 0, the normal entries
/// (`GRUB_CMDLINE_LINUX` then `GRUB_CMDLINE_LINUX_DEFAULT`, marked default),
/// and index 1, the recovery entries (`GRUB_CMDLINE_LINUX` only).
public struct BootEntry: Sendable, Equatable {
  /// The entry's title.
  public var title: String
  /// The file that holds it, a real path from the root.
  public var file: String
  /// The 0-based position of the entry in its file (legacy), in boot menu order (BLS).
  public var index: Int
  /// Whether the boot loader starts this entry by default.
  public var isDefault: Bool
  /// The kernel arguments, in order (empty for an entry without a kernel line).
  public var arguments: [KernelArgument]

  /// Creates an entry.
  public init(title: String, file: String, index: Int, isDefault: Bool, arguments: [KernelArgument]) {
    self.title = title
    self.file = file
    self.index = index
    self.isDefault = isDefault
    self.arguments = arguments
  }
}

/// What must run after `/etc/default/grub` changed for GRUB 2 to see it.
public struct Regeneration: Sendable, Equatable {
  /// The command as an admin would type it, for example
  /// `["grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"]`.
  public var command: [String]
  /// The real grub.cfg files (from the root, symlinks resolved) that receive its
  /// output; stub files that only `configfile` another one are not listed.
  public var outputs: [String]

  /// Creates a regeneration.
  public init(command: [String], outputs: [String]) {
    self.command = command
    self.outputs = outputs
  }
}
