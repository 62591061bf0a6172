import Engine
import Foundation
import RootFS

/// How the commands build an ``Engine``: on one ``HostRoot`` made from `--root`, the
/// bundled tuner looked for next to the running `virthost`.
enum EngineSetup {
  /// `virthost-ksmtuned` in the folder of the running executable (a build folder), or else
  /// in `../sbin` beside it (the package's `/usr/bin/virthost` and `/usr/sbin/virthost-ksmtuned`,
  /// also when extracted elsewhere); the first when neither exists, for the diagnostic.
  static var bundledTuner: String? {
    guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
    let folder = executable.deletingLastPathComponent()
    let candidates = [
      folder.appendingPathComponent("virthost-ksmtuned").path,
      folder.deletingLastPathComponent().appendingPathComponent("sbin/virthost-ksmtuned").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }

  /// The engine for `root`.
  static func engine(root: HostRoot) -> Engine {
    Engine(planner: Planner(root: root, bundledTuner: bundledTuner))
  }

  /// The largest desired-state or plan file read: a host's desired state is a few hundred bytes.
  static let maximumSpecBytes = 1 << 20

  /// The text of the desired-state (or saved plan) file `path`.
  ///
  /// - Throws: a ``CommandFailure`` saying why, with the line and column for text that
  ///   is not UTF-8: the file is missing, a folder, unreadable, larger than
  ///   ``maximumSpecBytes``, or not UTF-8.
  static func readSpec(_ path: String) throws -> String {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw CommandFailure("cannot read \(path): no such file (write one with `virthost init`)")
    }
    guard !isFolder.boolValue else { throw CommandFailure("cannot read \(path): it is a folder, not a file") }
    let data: Data
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      data = try handle.read(upToCount: maximumSpecBytes + 1) ?? Data()
    } catch {
      throw CommandFailure("cannot read \(path): \((error as NSError).localizedDescription)")
    }
    guard data.count <= maximumSpecBytes else {
      throw CommandFailure(
        "cannot read \(path): it is larger than \(maximumSpecBytes / 1024) KiB; a desired state is a short file")
    }
    if let offset = TextBytes.firstInvalidUTF8(data) {
      let (line, column) = TextBytes.position(of: offset, in: data)
      throw CommandFailure(
        "\(path):\(line):\(column): not UTF-8 text (byte 0x\(String(data[offset], radix: 16, uppercase: true))); save the file as UTF-8"
      )
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
