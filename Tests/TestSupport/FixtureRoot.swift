import Foundation
import RootFS

/// A temporary copy of a fixture root, removed when the value is released.
///
/// Tests never touch the repository's fixtures or the live machine: every
/// test works on its own copy.
public final class FixtureRoot: @unchecked Sendable {
  // @unchecked: `path` and `fixture` are immutable after init; deinit only removes the folder.
  /// The copy's absolute path (no trailing slash).
  public let path: String

  /// The repository's top folder, found from this file's place in it.
  public static let repository: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Copies `relativePath` (from the repository's top, for example
  /// `examples/centos6-amd/root`) to a new temporary folder.
  public init(_ relativePath: String) throws {
    let source = Self.repository.appendingPathComponent(relativePath).path
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("virthost-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    path = base.appendingPathComponent("root").path
    try Self.copyTree(source, to: path)
  }

  /// A new empty root, for a test that lays out its own files (the sysctl oracle's layouts).
  public init() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-test-\(UUID().uuidString)")
    path = base.appendingPathComponent("root").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// Copies the tree `source` to `destination` (which must not exist) with `cp -a`, which
  /// keeps symlinks as links, modes and times, as a real host would have them.
  public static func copyTree(_ source: String, to destination: String) throws {
    let copy = try ProgramRun.run("/bin/cp", ["-a", source, destination])
    guard copy.status == 0 else {
      throw CocoaError(
        .fileWriteUnknown, userInfo: [NSFilePathErrorKey: source, NSDebugDescriptionErrorKey: copy.transcript])
    }
  }

  deinit {
    try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
  }

  /// The copy as a ``HostRoot``, as the commands make one from `--root`.
  public var host: HostRoot { try! HostRoot(path) }  // the copy exists and is a folder while the value lives

  /// The absolute path of `file` (a path from the root such as `/etc/ksmtuned.conf`).
  public func url(_ file: String) -> URL { URL(fileURLWithPath: path + file) }

  /// The bytes of `file` under the root.
  public func bytes(_ file: String) throws -> Data { try Data(contentsOf: url(file)) }

  /// The text of `file` under the root.
  public func text(_ file: String) throws -> String { try String(contentsOf: url(file), encoding: .utf8) }

  /// Writes `text` to `file` under the root, creating folders as needed.
  public func write(_ file: String, _ text: String) throws {
    try FileManager.default.createDirectory(
      at: url(file).deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url(file))
  }

  /// Makes `file` under the root a symbolic link whose text is `target`.
  public func link(_ file: String, to target: String) throws {
    try FileManager.default.createSymbolicLink(atPath: path + file, withDestinationPath: target)
  }

  /// Whether the entry `relative` (a path in a snapshot) is a temporary file of the
  /// writer of host files (`.NAME.virthost-…`), which a finished write never leaves.
  public static func isTemporary(_ relative: String) -> Bool {
    let name = relative.split(separator: "/").last ?? ""
    return name.hasPrefix(".") && name.contains(".virthost-")
  }

  /// A digest of every path, link target, mode and content under the root:
  /// equal snapshots mean a byte-identical tree.
  public func snapshot() throws -> [String: String] { try Self.snapshot(of: path) }

  /// The same digest of any tree `path` (a root that is not a `FixtureRoot`).
  public static func snapshot(of path: String) throws -> [String: String] {
    var result: [String: String] = [:]
    let manager = FileManager.default
    guard let walker = manager.enumerator(atPath: path) else { return result }
    for case let relative as String in walker {
      let full = path + "/" + relative
      let attributes = try manager.attributesOfItem(atPath: full)
      let mode = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
      switch attributes[.type] as? FileAttributeType {
      case .typeSymbolicLink?:
        result[relative] = "link \(try manager.destinationOfSymbolicLink(atPath: full))"
      case .typeDirectory?:
        result[relative] = "dir \(mode)"
      default:
        let data = try Data(contentsOf: URL(fileURLWithPath: full))
        result[relative] = "file \(mode) \(data.base64EncodedString())"
      }
    }
    return result
  }
}
