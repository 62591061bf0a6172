#if canImport(Glibc)
  import Glibc
#endif

/// The one writer of host files under a root: apply and rollback write through it, and
/// nothing else in virthost writes host files (the daemon's own pidfile stays the daemon's).
///
/// A replaced file is always whole, its old bytes or its new ones: the new bytes go to a
/// temporary file in the same folder, which is flushed, given the old file's mode, owner,
/// group and extended attributes (its POSIX ACL and SELinux label among them), renamed
/// over the old file, and the folder flushed, as libaugeas's own save does.
public struct HostRootWriter: Sendable {
  /// The root written under.
  public let root: HostRoot

  public init(_ root: HostRoot) {
    self.root = root
  }

  /// Replaces the file at `path` (links followed inside the root) with `bytes`, keeping an
  /// existing file's mode, owner, group and extended attributes; a new file gets `mode`
  /// and the folders above it are created (mode 0755).
  ///
  /// On failure (the disk full, a read-only folder) the temporary file is removed, the old
  /// file is untouched, and the error names `path`.
  public func replace(_ path: String, with bytes: [UInt8], mode: UInt32 = 0o644) throws(HostRootError) {
    guard let resolved = root.resolve(path) else { throw .tooManyLinks(path) }
    try makeFolders(above: resolved, reportedAs: path)
    let target = root.unresolvedHostPath(resolved)
    var old = stat()
    let exists = lstat(target, &old) == 0
    if exists && old.st_mode & S_IFMT != S_IFREG { throw .notRegularFile(path) }
    guard
      let (descriptor, temporary) = TemporaryFile.create(folder(of: target) + "/." + name(of: target) + ".virthost-")
    else { throw .from(errno: errno, path, "write") }
    do throws(HostRootError) {
      defer { close(descriptor) }
      try writeAll(descriptor, bytes, path)
      // Owner first (fchown clears set-id bits), then the attributes (an ACL sets the group
      // bits), then the mode, which agrees with the ACL it came with.
      if exists {
        if old.st_uid != geteuid() || old.st_gid != getegid() {
          guard fchown(descriptor, old.st_uid, old.st_gid) == 0 else {
            throw .from(errno: errno, path, "keep the owner of")
          }
        }
        try ExtendedAttributes.copy(from: target, to: descriptor, reportedAs: path)
      }
      let keptMode = exists ? UInt32(old.st_mode & 0o7777) : mode
      guard fchmod(descriptor, mode_t(keptMode)) == 0 else { throw .from(errno: errno, path, "set the mode of") }
      guard fsync(descriptor) == 0 else { throw .from(errno: errno, path, "flush") }
    } catch {
      unlink(temporary)
      throw error
    }
    try commit(temporary, over: target, reportedAs: path)
  }

  /// Makes `path` a symlink whose text is `target`, replacing a link already there
  /// (atomically, through a temporary link and a rename); folders above it are created.
  public func link(_ path: String, to target: String) throws(HostRootError) {
    guard let physical = root.physical(path) else { throw .tooManyLinks(path) }
    try makeFolders(above: physical, reportedAs: path)
    let host = root.unresolvedHostPath(physical)
    let temporary = folder(of: host) + "/." + name(of: host) + ".virthost-link"
    unlink(temporary)
    guard symlink(target, temporary) == 0 else { throw .from(errno: errno, path, "create the link") }
    try commit(temporary, over: host, reportedAs: path)
  }

  /// Removes the file or link at `path` (a final link itself, not its target); nothing
  /// to do when nothing is there.
  public func remove(_ path: String) throws(HostRootError) {
    guard let physical = root.physical(path) else { throw .tooManyLinks(path) }
    let host = root.unresolvedHostPath(physical)
    guard unlink(host) == 0 || errno == ENOENT else { throw .from(errno: errno, path, "remove") }
    syncFolder(folder(of: host))
  }

  /// Removes the folder at `path` when it exists and is empty; a folder with entries is kept.
  public func removeEmptyFolder(_ path: String) throws(HostRootError) {
    guard let resolved = root.resolve(path) else { throw .tooManyLinks(path) }
    let host = root.unresolvedHostPath(resolved)
    guard rmdir(host) == 0 || [ENOENT, ENOTEMPTY, EEXIST].contains(errno) else {
      throw .from(errno: errno, path, "remove the folder")
    }
  }

  /// The folders above `path` (from the root) that do not exist yet, outermost first:
  /// what ``replace(_:with:mode:)`` or ``link(_:to:)`` would create.
  public func missingFolders(above path: String) -> [String] {
    var missing: [String] = []
    var parts = HostRoot.components(HostRoot.normalise(path))
    parts.removeLast()
    while !parts.isEmpty {
      let folder = "/" + parts.joined(separator: "/")
      if root.exists(folder) { break }
      missing.insert(folder, at: 0)
      parts.removeLast()
    }
    return missing
  }

  /// Writes `value` and a newline to `path` in place, as `echo value > path` does: the way
  /// `/sys` and `/proc/sys` files take values (they cannot be replaced).
  public func writeLive(_ path: String, _ value: String) throws(HostRootError) {
    guard let host = root.hostPath(path) else { throw .tooManyLinks(path) }
    let descriptor = open(host, O_WRONLY | O_TRUNC | O_CLOEXEC)
    guard descriptor >= 0 else { throw .from(errno: errno, path, "write") }
    defer { close(descriptor) }
    try writeAll(descriptor, Array((value + "\n").utf8), path)
  }

  /// Creates the missing folders above `resolved` (mode 0755).
  private func makeFolders(above resolved: String, reportedAs path: String) throws(HostRootError) {
    for folder in missingFolders(above: resolved) {
      guard mkdir(root.unresolvedHostPath(folder), 0o755) == 0 || errno == EEXIST else {
        throw .from(errno: errno, path, "create the folder \(folder) for")
      }
    }
  }

  /// Renames `temporary` over `target` and flushes their folder; removes `temporary` on failure.
  /// With the plan file's save (`PlanOutputFile`), the only calls of `rename(2)` outside the daemon.
  private func commit(_ temporary: String, over target: String, reportedAs path: String) throws(HostRootError) {
    guard rename(temporary, target) == 0 else {
      let code = errno
      unlink(temporary)
      throw .from(errno: code, path, "replace")
    }
    syncFolder(folder(of: target))
  }

  private func writeAll(_ descriptor: Int32, _ bytes: [UInt8], _ path: String) throws(HostRootError) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { throw .from(errno: written == 0 ? EIO : errno, path, "write") }
      offset += written
    }
  }

  private func syncFolder(_ folder: String) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }

  private func folder(of host: String) -> String {
    guard let slash = host.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    let folder = String(host[..<slash])
    return folder.isEmpty ? "/" : folder
  }

  private func name(of host: String) -> String {
    guard let slash = host.utf8.lastIndex(of: UInt8(ascii: "/")) else { return host }
    return String(host[host.index(after: slash)...])
  }
}
