import Engine
import Foundation

/// How the commands build an ``Engine``: the root made absolute, the bundled
/// tuner looked for next to the running `virthost`.
enum EngineSetup {
  /// `path` made absolute against the current folder.
  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }

  /// `virthost-ksmtuned` in the folder of the running executable.
  static var bundledTuner: String? {
    guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
    return executable.deletingLastPathComponent().appendingPathComponent("virthost-ksmtuned").path
  }

  /// The engine for `root`.
  static func engine(root: String) -> Engine {
    Engine(planner: Planner(root: absolute(root), bundledTuner: bundledTuner))
  }

  /// The text of the desired-state file `path`.
  static func readSpec(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure("cannot read \(path): no such file (write one with `virthost init`)")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Prints `text` to standard error.
  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }
}

/// A failure the commands report in one sentence, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
