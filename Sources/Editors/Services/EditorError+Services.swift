import HostConfig

extension EditorError {
  /// The editor's form of an error met reading services: same file, position and message.
  public init(_ error: ServiceConfigError) {
    self.init(file: error.file, line: error.line, column: error.column, message: error.message)
  }
}
