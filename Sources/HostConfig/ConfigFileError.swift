import Augeas
import RootFS

/// Why a configuration file cannot be read, parsed or edited, or a value cannot be
/// accepted: the file, the position and what is wrong, so that a user can act on it.
///
/// The readers of HostConfig throw it, and the editors throw it as `EditorError` (the
/// same type): when it is thrown, nothing was planned.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file concerned, as a path from the root, when there is one.
  public var file: String?
  /// The 1-based line in `file`, when known.
  public var line: Int?
  /// The 1-based column in that line, when known.
  public var column: Int?
  /// What is wrong, as a sentence without the file and position.
  public var message: String

  /// Creates an error about `file` at `line`:`column`.
  public init(file: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// Wraps an Augeas error, keeping its file and position.
  public init(_ error: AugeasError) {
    self.init(
      file: error.file?.file, line: error.file?.line,
      column: error.file?.character.map { $0 + 1 }, message: error.file.map(Self.message(of:)) ?? error.description)
  }

  /// Runs `body`, wrapping an Augeas error it throws (a ``ConfigFileError`` goes through).
  public static func catching<T>(_ body: () throws -> T) throws(ConfigFileError) -> T {
    do { return try body() } catch { throw wrapping(error) }
  }

  /// Wraps an error reading `file` under the root: a text check keeps its line and column.
  init(_ error: HostRootError, reading file: String) {
    switch error {
    case .notText(_, let line, let column, let reason):
      self.init(file: file, line: line, column: column, message: reason)
    default: self.init(file: file, message: "cannot be read: \(error)")
    }
  }

  /// The form of a text of `file` that a lens did not accept (or could not render
  /// back): the file, Augeas's line and column, and its message.
  public init(text error: AugeasError, file: String) {
    guard let problem = error.file else {
      self.init(file: file, message: error.description)
      return
    }
    var message = problem.kind == "parse_failed" ? "cannot be parsed" : "cannot be written back"
    if let detail = problem.message { message += ": \(detail)" }
    self.init(file: file, line: problem.line, column: problem.character.map { $0 + 1 }, message: message)
  }

  /// When `text`, the file's text, has CRLF (DOS) line ends: the error placed at the first
  /// line that ends in CR, whatever line the lens stopped at, with a hint; `false` otherwise.
  mutating func placeAtCRLF(in text: String) -> Bool {
    guard let (line, column) = TextBytes.firstCRLF(text.utf8) else { return false }
    self.line = line
    self.column = column
    message += ": the file has CRLF (DOS) line endings; convert it to LF"
    return true
  }

  private static func message(of problem: FileProblem) -> String {
    var text = problem.kind == "parse_failed" ? "cannot be parsed" : "cannot be written (\(problem.kind))"
    if let message = problem.message { text += ": \(message)" }
    return text
  }

  /// `file:line:column: message`, the form compilers and editors understand.
  public var description: String {
    var location = file ?? ""
    if let line {
      location += ":\(line)"
      if let column { location += ":\(column)" }
    }
    return location.isEmpty ? message : "\(location): \(message)"
  }

  /// Any error met while reading, as a ``ConfigFileError``.
  static func wrapping(_ error: any Error) -> ConfigFileError {
    switch error {
    case let error as ConfigFileError: error
    case let error as AugeasError: ConfigFileError(error)
    default: ConfigFileError(message: "\(error)")
    }
  }
}
