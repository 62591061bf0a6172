import Foundation

/// Golden files: expected outputs kept in the repository and compared byte for byte.
///
/// Run the tests with `VIRTHOST_RECORD=1` to write every compared output to its golden
/// file instead (then review the diff with git); the one switch for every target's goldens.
public enum Golden {
  /// Whether the tests record their goldens (`VIRTHOST_RECORD=1`) rather than only compare.
  public static let recording = ProcessInfo.processInfo.environment["VIRTHOST_RECORD"] == "1"

  /// The golden text at `relativePath` (from the repository's top); when ``recording``,
  /// `actual` is written there first, its folders created.
  public static func text(_ relativePath: String, recording actual: String) throws -> String {
    let url = FixtureRoot.repository.appendingPathComponent(relativePath)
    if recording {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
    }
    return try String(contentsOf: url, encoding: .utf8)
  }
}
