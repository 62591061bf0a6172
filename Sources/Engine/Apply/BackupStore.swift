import Editors
import Foundation

/// The backups of a root's applies, under `ROOT/var/lib/virthost/backups/<timestamp>/`:
/// a copy of every file an apply changes (under `files/`, by its path from the root)
/// and a `manifest.json` of what to restore, remove and undo.
///
/// Rollback restores the most recent apply's backup, byte for byte, and marks it rolled back.
public struct BackupStore {
  /// The backups folder, as a path from the root.
  public static let folder = "/var/lib/virthost/backups"

  /// What one backup holds.
  public struct Manifest: Codable, Equatable, Sendable {
    /// One file the apply changed or created.
    public struct File: Codable, Equatable, Sendable {
      /// The path from the root.
      public var path: String
      /// Whether it existed before; a file that did not is removed on rollback.
      public var existed: Bool
      /// Its permission bits before, when it existed.
      public var mode: Int?
      /// The folders the apply creates for a new file, outermost first; removed on rollback when empty.
      public var createdFolders: [String] = []
    }
    /// One live value and what it was.
    public struct Live: Codable, Equatable, Sendable {
      /// The path from the root.
      public var path: String
      /// The value before the apply.
      public var value: String
    }
    /// One enablement link the apply created or removed.
    public struct Link: Codable, Equatable, Sendable {
      /// `create` or `remove`, as applied.
      public var kind: String
      /// The link, from the root.
      public var path: String
      /// Its target.
      public var target: String
    }

    /// The desired-state file applied.
    public var specFile: String
    /// The files, in apply order.
    public var files: [File]
    /// The links, in apply order, filled in as they are applied.
    public var links: [Link]
    /// Folders the apply created for links, outermost first; removed on rollback when empty.
    public var linkFolders: [String] = []
    /// The live values, first value first.
    public var live: [Live]
    /// Whether this backup has been rolled back.
    public var rolledBack: Bool
  }

  /// The root, without a trailing slash.
  let root: String

  /// The store of the root `root`.
  public init(root: String) {
    self.root = root.trimmingSuffix("/")
  }

  /// The absolute folder of the backup named `name`.
  func directory(_ name: String) -> String { root + Self.folder + "/" + name }

  /// The names of the backups, oldest first.
  public func names() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root + Self.folder)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: directory($0) + "/manifest.json") }.sorted()
  }

  /// A new backup of the files `paths` (from the root) and the live values `live`,
  /// made before anything is changed; returns its name.
  func create(specFile: String, paths: [String], live: [(path: String, value: String)], now: Date = Date()) throws
    -> String
  {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    var name = formatter.string(from: now)
    var suffix = 2
    while FileManager.default.fileExists(atPath: directory(name)) {
      name = formatter.string(from: now) + "-\(suffix)"
      suffix += 1
    }
    removeLeftovers()
    do {
      try copy(paths, specFile: specFile, live: live, to: name)
    } catch {
      // A backup is whole or absent: no half backup is left for a rollback to find.
      try? FileManager.default.removeItem(atPath: directory(name))
      throw error
    }
    return name
  }

  /// Removes what an apply killed while backing up left: a backup folder without its
  /// manifest (never listed, never restored) and a manifest's temporary copy.
  /// Called under the root's lock, so no other backup is being made.
  private func removeLeftovers() {
    let manager = FileManager.default
    for name in (try? manager.contentsOfDirectory(atPath: root + Self.folder)) ?? [] {
      if !manager.fileExists(atPath: directory(name) + "/manifest.json") {
        try? manager.removeItem(atPath: directory(name))
      } else {
        try? manager.removeItem(atPath: directory(name) + "/.manifest.json.virthost-new")
      }
    }
  }

  /// Copies the files `paths` into the new backup `name` and writes its manifest last.
  private func copy(_ paths: [String], specFile: String, live: [(path: String, value: String)], to name: String)
    throws
  {
    let manager = FileManager.default
    var files: [Manifest.File] = []
    for path in paths where !files.contains(where: { $0.path == path }) {
      let source = root + path
      guard manager.fileExists(atPath: source) else {
        files.append(.init(path: path, existed: false, mode: nil, createdFolders: missingFolders(above: path)))
        continue
      }
      let copy = directory(name) + "/files" + path
      try manager.createDirectory(
        atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try manager.copyItem(atPath: source, toPath: copy)
      let mode = try manager.attributesOfItem(atPath: source)[.posixPermissions] as? Int
      files.append(.init(path: path, existed: true, mode: mode))
    }
    let manifest = Manifest(
      specFile: specFile, files: files, links: [], linkFolders: [],
      live: live.map { .init(path: $0.path, value: $0.value) }, rolledBack: false)
    try write(manifest, name)
  }

  /// Records `links` as about to be applied in the backup `name`, with the folders
  /// their creation will add.
  func record(links: [LinkChange], in name: String) throws {
    var manifest = try read(name)
    manifest.links += links.map { .init(kind: $0.kind.rawValue, path: $0.path, target: $0.target) }
    for link in links where link.kind == .create {
      for folder in missingFolders(above: link.path) where !manifest.linkFolders.contains(folder) {
        manifest.linkFolders.append(folder)
      }
    }
    try write(manifest, name)
  }

  /// The folders above `path` (from the root) that do not exist, outermost first.
  func missingFolders(above path: String) -> [String] {
    var folders: [String] = []
    var folder = (path as NSString).deletingLastPathComponent
    while folder != "/" && !folder.isEmpty && !FileManager.default.fileExists(atPath: root + folder) {
      folders.insert(folder, at: 0)
      folder = (folder as NSString).deletingLastPathComponent
    }
    return folders
  }

  /// The manifest of the backup `name`.
  public func read(_ name: String) throws -> Manifest {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory(name) + "/manifest.json"))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Manifest.self, from: data)
  }

  func write(_ manifest: Manifest, _ name: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    try FileManager.default.createDirectory(atPath: directory(name), withIntermediateDirectories: true)
    // Replaced whole, so a kill or a full disk while recording links never leaves a truncated manifest.
    try HostFileSystem.replace(directory(name) + "/manifest.json", with: try encoder.encode(manifest), mode: 0o644)
  }

  /// The bytes of `path` as backed up in `name`.
  func backedUpBytes(_ path: String, in name: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: directory(name) + "/files" + path))
  }
}
