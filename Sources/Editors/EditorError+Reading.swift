import Augeas
import RootFS

extension EditorError {
  /// The editor's form of a file that could not be read through the root: a file that is
  /// not text at its line and column, any other problem in the root layer's words.
  public init(reading error: HostRootError) {
    if case .notText(let file, let line, let column, let reason) = error {
      self.init(file: file, line: line, column: column, message: reason)
    } else {
      self.init(message: error.description)
    }
  }

  /// The editor's form of a text of `file` that a lens did not accept (or could not render
  /// back): the file, Augeas's line and column, and its message.
  init(text error: AugeasError, file: String) {
    guard let problem = error.file else {
      self.init(file: file, message: error.description)
      return
    }
    var message = problem.kind == "parse_failed" ? "cannot be parsed" : "cannot be written back"
    if let detail = problem.message { message += ": \(detail)" }
    self.init(file: file, line: problem.line, column: problem.character.map { $0 + 1 }, message: message)
  }
}
