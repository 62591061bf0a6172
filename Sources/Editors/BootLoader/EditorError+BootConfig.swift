import Augeas
import HostConfig

extension EditorError {
  /// Wraps an error of reading a boot-loader configuration, keeping its file and position.
  public init(_ error: BootConfigError) {
    self.init(file: error.file, line: error.line, column: error.column, message: error.message)
  }

  /// Any error met while editing a boot-loader configuration, as an ``EditorError``.
  static func wrapping(_ error: any Error) -> EditorError {
    switch error {
    case let error as EditorError: error
    case let error as BootConfigError: EditorError(error)
    case let error as AugeasError: EditorError(error)
    default: EditorError(message: "\(error)")
    }
  }
}
