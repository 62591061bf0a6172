import Editors
import Foundation
import RootFS

/// The backups of a root's applies, under `ROOT/var/lib/virthost/backups/<timestamp>/`:
/// a copy of every file an apply changes (under `files/`, by its path from the root, mode
/// 0600) and a `manifest.json` of what to restore, remove and undo, sealed with this
/// machine's ``StateKey`` for this root (format 2, ``SealedState``).
///
/// Everything is read as state (``HostRoot/readState(_:limit:)``): a backup that another
/// user could have planted is refused, and so is a format-2 manifest that does not
/// authenticate, unless the admin says it is trusted. Rollback restores the most recent
/// apply's backup, byte for byte, and marks it rolled back.
public struct BackupStore {
  /// The folder of all of virthost's state under a root: the lock, the trace, the backups.
  public static let stateFolder = "/var/lib/virthost"
  /// The backups folder, as a path from the root.
  public static let folder = "/var/lib/virthost/backups"
  /// The manifest's format: 2 is sealed and records hashes, keys and the live writes'
  /// order; 1 (plain JSON, before the state formats v2) is still rolled back, with a warning.
  public static let manifestFormatVersion = 2
  /// What ``SealedState`` names a manifest.
  static let manifestKind = "backup-manifest"

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
      /// The SHA-256 of the bytes the apply replaced (format 2; `nil` when there were none).
      public var replacedSha256: String? = nil
      /// The SHA-256 of the bytes the apply writes (format 2; `nil` when it removes the
      /// file, or a generator writes it and has not run yet).
      public var wroteSha256: String? = nil
      /// The desired-state keys the change came from (format 2).
      public var keys: [String]? = nil
      /// Whether a generator writes it (grub.cfg): never restored from the backup; its
      /// inputs are, and the generator runs again (format 2).
      public var generated: Bool? = nil
    }
    /// The boot-loader regeneration the apply ran after its files (format 2).
    public struct RegenerationRecord: Codable, Equatable, Sendable {
      /// The program (`grub-mkconfig`).
      public var program: String
      /// The files it writes, the first one GRUB reads.
      public var outputs: [String]
      /// The arguments it writes its outputs by itself with (`refresh` for
      /// `proxmox-boot-tool`); absent for `program -o FILE`.
      public var arguments: [String]? = nil

      /// The regeneration this records.
      public var regeneration: Regeneration {
        Regeneration(
          program: program, outputs: outputs,
          invocation: arguments.map { .writesOutputs(arguments: $0) } ?? .generatesToFile)
      }
    }
    /// One live value and what it was.
    public struct Live: Codable, Equatable, Sendable {
      /// The path from the root.
      public var path: String
      /// The value before the apply.
      public var value: String
    }
    /// One write of a live value, as the apply makes it.
    public struct LiveWrite: Codable, Equatable, Sendable {
      /// The path from the root.
      public var path: String
      /// The value written.
      public var value: String
      /// The desired-state keys it came from.
      public var keys: [String]
    }
    /// One libvirt domain the apply defined or changed while it ran (`guests:`).
    public struct Domain: Codable, Equatable, Sendable {
      /// The domain's name.
      public var name: String
      /// libvirt's URI.
      public var uri: String
      /// Its inactive XML before the apply defined it; `nil` when the apply did not define it.
      public var xmlBefore: String? = nil
      /// Its inactive XML as libvirt holds it after the apply's definition.
      public var xmlWritten: String? = nil
      /// The running guest's settings the apply changed, in order, each with its value before.
      public var live: [RunningDomainChange] = []
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
    /// The apply's writes of live values, in the order it makes them (format 2).
    public var liveWrites: [LiveWrite]? = nil
    /// The boot-loader regeneration the apply ran (format 2); rollback runs it again after
    /// restoring its inputs.
    public var regeneration: RegenerationRecord? = nil
    /// The libvirt domains the apply defined or changed live, in order (absent before issue 36).
    public var domains: [Domain]? = nil
    /// Whether this backup has been rolled back.
    public var rolledBack: Bool
  }

  /// A manifest as read: its format and whether it authenticated.
  public struct Loaded: Sendable {
    /// The manifest.
    public var manifest: Manifest
    /// 1 or ``manifestFormatVersion``.
    public var formatVersion: Int
    /// Whether its MAC is right for this machine's key and this root (never for format 1).
    public var isAuthentic: Bool
  }

  /// One file an apply is about to change, as the applier hands it to ``create(specFile:files:live:liveWrites:now:)``.
  struct Planned {
    /// The path from the root.
    var path: String
    /// The bytes the apply writes; `nil` when it removes the file or a generator writes it.
    var after: [UInt8]?
    /// The desired-state keys of the change.
    var keys: [String]
    /// Whether a generator writes it (``Manifest/File/generated``).
    var generated = false
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
  var hostFolder: String { root.describe(Self.folder) }

  /// The names of the backups, oldest first: the folders with a manifest.
  ///
  /// - Throws: ``StateFileError`` when the backups folder could have been planted.
  public func names() throws(StateFileError) -> [String] {
    try root.listState(Self.folder).filter { name in
      do throws(StateFileError) {
        _ = try root.readState(directory(name) + "/manifest.json")
        return true
      } catch {
        return error.kind != .missing
      }
    }
  }

  /// A new backup of the files `files` and the live values `live`, made before anything
  /// is changed, with the live writes the apply will make; returns its name.
  func create(
    specFile: String, files: [Planned], live: [(path: String, value: String)], liveWrites: [Manifest.LiveWrite],
    regeneration: Manifest.RegenerationRecord? = nil, now: Date = Date()
  ) throws -> String {
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
      try copy(files, specFile: specFile, live: live, liveWrites: liveWrites, regeneration: regeneration, to: name)
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

  /// Copies the files `planned` into the new backup `name` (mode 0600: a copy of a file
  /// only root may read stays so), as they are under `files/` and as the apply writes them
  /// under `written/` (for the diff a rollback shows when a file changed since), and writes
  /// its manifest last.
  private func copy(
    _ planned: [Planned], specFile: String, live: [(path: String, value: String)],
    liveWrites: [Manifest.LiveWrite], regeneration: Manifest.RegenerationRecord?, to name: String
  ) throws {
    var files: [Manifest.File] = []
    for file in planned where !files.contains(where: { $0.path == file.path }) {
      let path = file.path
      let wrote = file.after.map { SHA256.hex($0) }
      if let after = file.after { try writer.replace(directory(name) + "/written" + path, with: after, mode: 0o600) }
      guard let bytes = try root.readIfPresent(path), let status = root.status(path) else {
        files.append(
          .init(
            path: path, existed: false, mode: nil, createdFolders: writer.missingFolders(above: path),
            wroteSha256: wrote, keys: file.keys, generated: file.generated))
        continue
      }
      try writer.replace(directory(name) + "/files" + path, with: bytes, mode: 0o600)
      files.append(
        .init(
          path: path, existed: true, mode: Int(status.mode), replacedSha256: SHA256.hex(bytes), wroteSha256: wrote,
          keys: file.keys, generated: file.generated))
    }
    let manifest = Manifest(
      specFile: specFile, files: files, links: [], linkFolders: [],
      live: live.map { .init(path: $0.path, value: $0.value) }, liveWrites: liveWrites, regeneration: regeneration,
      rolledBack: false)
    try write(manifest, name)
  }

  /// Records the bytes a generator wrote to `paths` (grub.cfg) in the backup `name`.
  func recordWritten(_ paths: [String], in name: String) throws {
    var manifest = try read(name).manifest
    for index in manifest.files.indices where paths.contains(manifest.files[index].path) {
      manifest.files[index].wroteSha256 = try root.readIfPresent(manifest.files[index].path).map { SHA256.hex($0) }
    }
    try write(manifest, name)
  }

  /// Records `links` as about to be applied in the backup `name`, with the folders
  /// their creation will add.
  func record(links: [LinkChange], in name: String) throws {
    var manifest = try read(name).manifest
    manifest.links += links
    for link in links where link.kind == .create {
      for folder in writer.missingFolders(above: link.path) where !manifest.linkFolders.contains(folder) {
        manifest.linkFolders.append(folder)
      }
    }
    try write(manifest, name)
  }

  /// Records in the backup `name` what the apply did to domain `domain` at `uri`, as `update` says.
  func record(domain: String, uri: String, in name: String, _ update: (inout Manifest.Domain) -> Void) throws {
    var manifest = try read(name).manifest
    var domains = manifest.domains ?? []
    let index =
      domains.firstIndex { $0.name == domain && $0.uri == uri }
      ?? {
        domains.append(Manifest.Domain(name: domain, uri: uri))
        return domains.count - 1
      }()
    update(&domains[index])
    manifest.domains = domains
    try write(manifest, name)
  }

  /// The manifest of the backup `name`: format 2 sealed (authentic or not), or format 1.
  public func read(_ name: String) throws -> Loaded {
    let bytes = try root.readState(directory(name) + "/manifest.json")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    guard let sealed = SealedState.open(bytes, root: root, key: try? StateKey.machine(creating: false)) else {
      return Loaded(
        manifest: try decoder.decode(Manifest.self, from: Data(bytes)), formatVersion: 1, isAuthentic: false)
    }
    guard sealed.kind == Self.manifestKind, sealed.version == Self.manifestFormatVersion else {
      throw StateFileError(
        .unreadable, root.describe(directory(name) + "/manifest.json"),
        "is a \(sealed.kind) of format \(sealed.version), not a backup manifest of format \(Self.manifestFormatVersion)"
      )
    }
    return Loaded(
      manifest: try decoder.decode(Manifest.self, from: Data(sealed.payload)), formatVersion: sealed.version,
      isAuthentic: sealed.isAuthentic)
  }

  /// Writes the manifest of the backup `name`, sealed with this machine's key (made on
  /// first use), replaced whole, so that a kill or a full disk while recording links never
  /// leaves a truncated manifest.
  func write(_ manifest: Manifest, _ name: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let key = try StateKey.machine(creating: true)
    let sealed = SealedState.seal(
      Array(try encoder.encode(manifest)), kind: Self.manifestKind, version: Self.manifestFormatVersion, root: root,
      key: key)
    try writer.replace(directory(name) + "/manifest.json", with: sealed, mode: 0o600)
  }

  /// The bytes of `path` as the apply of `name` wrote them (kept for the diff a rollback
  /// shows), read as state; `nil` when they were not kept or no longer have their digest.
  func writtenBytes(_ path: String, in name: String, sha256: String?) -> [UInt8]? {
    guard let bytes = try? root.readState(directory(name) + "/written" + path),
      sha256 == nil || SHA256.hex(bytes) == sha256
    else { return nil }
    return bytes
  }

  /// The bytes of `path` as backed up in `name`, read as state; with `sha256`, refused
  /// unless they have that digest.
  func backedUpBytes(_ path: String, in name: String, sha256: String?) throws -> [UInt8] {
    let copy = directory(name) + "/files" + path
    let bytes = try root.readState(copy)
    if let sha256, SHA256.hex(bytes) != sha256 {
      throw StateFileError(
        .unreadable, root.describe(copy), "its bytes are not the ones the manifest records (sha256 \(sha256))"
      )
    }
    return bytes
  }

  /// The kinds of path a manifest names, each with where it may be.
  enum PathKind {
    /// A file the apply wrote: anywhere in the root but virthost's own state.
    case file
    /// A live value: under `/proc/sys` or `/sys`.
    case live
    /// An enablement link or a folder made for one: under `/etc`.
    case link
  }

  /// Why the manifest path `path` cannot be restored: not absolute and normalised (a `.`,
  /// `..` or empty component), inside virthost's state, a folder on the way that is a
  /// link, or outside where its kind lives; `nil` when it can.
  func pathProblem(_ path: String, kind: PathKind) -> String? {
    guard path.hasPrefix("/"), path != "/", HostRoot.normalise(path) == path else {
      return "\(path) is not a plain absolute path"
    }
    if path == Self.stateFolder || path.hasPrefix(Self.stateFolder + "/") {
      return "\(path) is inside virthost's own state"
    }
    switch kind {
    case .file: break
    case .live:
      guard path.hasPrefix("/proc/sys/") || path.hasPrefix("/sys/") else {
        return "\(path) is not a live value under /proc/sys or /sys"
      }
    case .link:
      guard path.hasPrefix("/etc/") else { return "\(path) is not an enablement link under /etc" }
    }
    guard root.physical(path) == path else { return "a folder on the way to \(path) is a symbolic link" }
    return nil
  }

  /// Every reason the manifest's paths cannot be restored, in the manifest's order.
  func problems(of manifest: Manifest) -> [String] {
    manifest.files.flatMap { file in
      [pathProblem(file.path, kind: .file)] + file.createdFolders.map { pathProblem($0, kind: .file) }
    }.compactMap { $0 }
      + manifest.links.compactMap { pathProblem($0.path, kind: .link) }
      + manifest.linkFolders.compactMap { pathProblem($0, kind: .link) }
      + manifest.live.compactMap { pathProblem($0.path, kind: .live) }
  }
}
