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
}
