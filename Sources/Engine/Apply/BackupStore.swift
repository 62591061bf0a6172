import Editors
import Foundation
import RootFS

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
    /// One enablement link the apply created or removed, as applied.
    public typealias Link = LinkChange

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

  /// The root the backups are under.
  let root: HostRoot
  /// The only writer of the backups, as of every host file.
  private var writer: HostRootWriter { HostRootWriter(root) }

  /// The store of the root `root`.
  public init(root: HostRoot) {
    self.root = root
  }

  /// The folder of the backup named `name`, as a path from the root.
  func directory(_ name: String) -> String { Self.folder + "/" + name }

  /// The folder of the backups, as a path on this machine, for messages.
  var hostFolder: String { root.unresolvedHostPath(Self.folder) }

  /// The names of the backups, oldest first.
  public func names() -> [String] {
    root.listIfPresent(Self.folder).filter { root.isFile(directory($0) + "/manifest.json") }
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
    while root.exists(directory(name)) {
      name = formatter.string(from: now) + "-\(suffix)"
      suffix += 1
    }
    removeLeftovers()
    do {
      try copy(paths, specFile: specFile, live: live, to: name)
    } catch {
      // A backup is whole or absent: no half backup is left for a rollback to find.
      try? removeTree(directory(name))
      throw error
    }
    return name
  }

  /// Removes what an apply killed while backing up left: a backup folder without its
  /// manifest (never listed, never restored) and a manifest's temporary copy.
  /// Called under the root's lock, so no other backup is being made.
  private func removeLeftovers() {
    for name in root.listIfPresent(Self.folder, includingHidden: true) {
      let folder = directory(name)
      if !root.isFile(folder + "/manifest.json") {
        try? removeTree(folder)
      } else {
        try? writer.removeTemporaries(of: folder + "/manifest.json")
      }
    }
  }

  /// Removes the folder `path` (from the root) and everything in it, links as themselves.
  private func removeTree(_ path: String) throws(HostRootError) {
    if root.status(path, followingLinks: false)?.kind == .directory {
      for name in try root.list(path, includingHidden: true) { try removeTree(path + "/" + name) }
      try writer.removeEmptyFolder(path)
    } else {
      try writer.remove(path)
    }
  }

  /// Copies the files `paths` into the new backup `name` and writes its manifest last.
  private func copy(_ paths: [String], specFile: String, live: [(path: String, value: String)], to name: String)
    throws
  {
    var files: [Manifest.File] = []
    for path in paths where !files.contains(where: { $0.path == path }) {
      guard let bytes = try root.readIfPresent(path), let status = root.status(path) else {
        files.append(.init(path: path, existed: false, mode: nil, createdFolders: writer.missingFolders(above: path)))
        continue
      }
      try writer.replace(directory(name) + "/files" + path, with: bytes, mode: status.mode)
      files.append(.init(path: path, existed: true, mode: Int(status.mode)))
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
    manifest.links += links
    for link in links where link.kind == .create {
      for folder in writer.missingFolders(above: link.path) where !manifest.linkFolders.contains(folder) {
        manifest.linkFolders.append(folder)
      }
    }
    try write(manifest, name)
  }

  /// The manifest of the backup `name`.
  public func read(_ name: String) throws -> Manifest {
    let bytes = try root.read(directory(name) + "/manifest.json")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(Manifest.self, from: Data(bytes))
  }

  /// Writes the manifest of the backup `name`, replaced whole, so that a kill or a full
  /// disk while recording links never leaves a truncated manifest.
  func write(_ manifest: Manifest, _ name: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    try writer.replace(directory(name) + "/manifest.json", with: Array(try encoder.encode(manifest)), mode: 0o644)
  }

  /// The bytes of `path` as backed up in `name`.
  func backedUpBytes(_ path: String, in name: String) throws(HostRootError) -> [UInt8] {
    try root.read(directory(name) + "/files" + path)
  }
}
