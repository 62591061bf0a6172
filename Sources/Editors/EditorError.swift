import Augeas

/// An error an editor reports for bad input or a file it cannot handle, with the
/// file, the position and what is wrong, so that a user can act on it.
///
/// Editors throw it before anything is written: when it is thrown, no file changed.
public struct EditorError: Error, Sendable, Equatable, CustomStringConvertible {
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
}
