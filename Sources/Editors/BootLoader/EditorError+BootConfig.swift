import Augeas
import HostConfig

extension EditorError {
  /// Any error met while editing a boot-loader configuration, as an ``EditorError``.
  static func wrapping(_ error: any Error) -> EditorError {
    switch error {
    case let error as EditorError: error
    case let error as AugeasError: EditorError(error)
    default: EditorError(message: "\(error)")
    }
  }
}
