/// One assignment to a GRUB 2 command-line variable in `/etc/default/grub` or a
/// `/etc/default/grub.d/*.cfg` drop-in, as `grub-mkconfig`'s shell reads it.
///
/// The forms real files use are understood: a plain value (`X="a b"`, `X='a b'`, `X=a`),
/// and a self-appending one that starts from the variable's previous value (`X="$X a"`,
/// `X="${X} a"`, Ubuntu's kdump-tools; `X="${X:+$X }a"`, tuned's). Anything else that
/// expands (another variable, a command substitution) cannot be evaluated and is refused
/// when read (see ``GrubDefaults``).
public struct GrubAssignment: Sendable, Equatable {
  /// How the assignment uses the variable's previous value.
  public enum Form: Sendable, Equatable {
    /// `X="…"`: the previous value is dropped.
    case set
    /// `X="$X …"` or `X="${X} …"`: the words follow the previous value after a blank.
    case append
    /// `X="${X:+$X }…"`: the words follow the previous value, with a blank only when it is not empty.
    case appendIfSet
  }

  /// The variable assigned (`GRUB_CMDLINE_LINUX_DEFAULT`).
  public var variable: String
  /// The file, a real path from the root.
  public var file: String
  /// The 1-based position of this assignment among the file's assignments to ``variable``.
  public var index: Int
  /// The 1-based line of the assignment, when known.
  public var line: Int?
  /// The 1-based column where ``words`` start on ``line``, when known.
  public var column: Int?
  /// `"`, `'` or nothing.
  public var quote: String
  /// How the previous value is used.
  public var form: Form
  /// The self-reference before the words, kept as written (`$X `, `${X:+$X }`); empty for ``Form/set``.
  public var prefix: String
  /// The literal command line the assignment contributes.
  public var words: String
  /// ``words`` as kernel arguments.
  public var arguments: [KernelArgument]

  /// Creates an assignment.
  public init(
    variable: String, file: String, index: Int, line: Int?, column: Int?, quote: String, form: Form, prefix: String,
    words: String, arguments: [KernelArgument]
  ) {
    self.variable = variable
    self.file = file
    self.index = index
    self.line = line
    self.column = column
    self.quote = quote
    self.form = form
    self.prefix = prefix
    self.words = words
    self.arguments = arguments
  }

  /// The value as it stands in the file, quotes included, with `words` in place of ``words``.
  public func rendered(words: String) -> String {
    var quote = self.quote
    if quote.isEmpty && (words.isEmpty || words.contains(where: { $0 == " " || $0 == "\t" }) || !prefix.isEmpty) {
      quote = "\""
    }
    return quote + prefix + words + quote
  }

  /// `file:line`, for messages.
  public var location: String { line.map { "\(file):\($0)" } ?? file }

  /// The value after this assignment, given the value before it.
  public func evaluate(after previous: String) -> String {
    switch form {
    case .set: words
    case .append: previous + " " + words
    case .appendIfSet: previous.isEmpty ? words : previous + " " + words
    }
  }

  /// The form of the raw value `inner` (between its quotes) of variable `name`, and the
  /// self-reference that starts it; `nil` prefix for a plain value. Shell expansion is
  /// evaluated here, by hand, because no Augeas lens evaluates it: Shellvars.lns only
  /// splits a file into assignments and keeps each value as written.
  static func form(of inner: String, variable name: String) -> (form: Form, prefix: String) {
    let appending = ["${\(name):+$\(name) }", "${\(name):+${\(name)} }"]
    for prefix in appending where inner.hasPrefix(prefix) { return (.appendIfSet, prefix) }
    for reference in ["$\(name)", "${\(name)}"] {
      if inner == reference { return (.append, reference) }
      if inner.hasPrefix(reference + " ") { return (.append, reference + " ") }
    }
    return (.set, "")
  }
}
