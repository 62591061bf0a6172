/// What Augeas recorded under `/augeas/files/<file>/error` (or
/// `/augeas/text/<node>/error` for text) when a file or text failed to parse or save.
public struct FileProblem: Sendable, Equatable, CustomStringConvertible {
  /// The file's path as seen from the tree's root, for example `/boot/grub/grub.conf`.
  public var file: String
  /// Augeas's error kind: `parse_failed`, `put_failed`, `mk_augtemp`, `rename_augtemp`…
  public var kind: String
  /// The message, for example `Iterated lens matched less than it should`.
  public var message: String?
  /// The 1-based line of the problem, when Augeas knows it.
  public var line: Int?
  /// The 0-based character on that line, when Augeas knows it.
  public var character: Int?
  /// The lens (with its file and position) that failed, when Augeas knows it.
  public var lens: String?

  /// Creates a problem record; the library fills these in.
  public init(
    file: String, kind: String, message: String? = nil, line: Int? = nil,
    character: Int? = nil, lens: String? = nil
  ) {
    self.file = file
    self.kind = kind
    self.message = message
    self.line = line
    self.character = character
    self.lens = lens
  }

  /// `file:line:char: could not parse: message (lens …)`, as one sentence.
  public var description: String {
    var text = file
    if let line {
      text += ":\(line)"
      if let character { text += ":\(character)" }
    }
    let verb: String
    switch kind {
    case "parse_failed": verb = "cannot be parsed"
    case "put_failed": verb = "cannot be written back"
    case "read_failed", "open_failed": verb = "cannot be read"
    default: verb = "failed (\(kind))"
    }
    text += ": \(verb)"
    if let message, !message.isEmpty { text += ": \(message)" }
    if let lens, !lens.isEmpty { text += " (lens \(lens))" }
    return text
  }
}
