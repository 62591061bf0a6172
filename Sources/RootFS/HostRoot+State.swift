#if canImport(Glibc)
  import Glibc
#endif

/// virthost's own state under a root (the converged trace, the backups and their manifests,
/// the lock) and the machine's state key are read so that no other user can plant them,
/// as OpenSSH's StrictModes checks a user's keys:
///
/// - the path is opened one component at a time from the machine's `/`, each folder with
///   `O_NOFOLLOW` relative to the descriptor of the one above it, so no link is followed
///   and nothing can be swapped between a check and a use;
/// - each folder is judged by its opened descriptor (`fstat`): owned by root or by the user
///   running virthost, and writable by no one else; a folder that others may write is
///   allowed only when it is root's and sticky (`/tmp`), where no one else can rename or
///   remove the entries root made there;
/// - the file is opened with `O_NOFOLLOW` and judged the same way by its descriptor, then
///   read from that descriptor.
///
/// `openat2(RESOLVE_NO_SYMLINKS)` would resolve the path in one call, but every folder
/// has to be judged by its own descriptor anyway, which the walk gives. The folders above
/// the root (`--root /srv/images/x`) are judged too: whoever can write one of them can
/// replace the whole root. Nothing here is recorded in a ``ReadTrace``: state is not host
/// configuration.
extension HostRoot {
  /// Why the folder `folder` (from the root) cannot hold virthost's state, or `nil` when
  /// every folder from the machine's `/` down to it (or down to the first one missing,
  /// which virthost would create) is safe.
  public func stateFolderProblem(_ folder: String) -> StateFileError? {
    do {
      close(try Self.openTrustedFolder(unresolvedHostPath(folder), allowMissing: true))
      return nil
    } catch {
      return error
    }
  }

  /// The bytes of the state file `path` (from the root), read as the type's comment says.
  ///
  /// - Throws: ``StateFileError`` with ``StateFileError/Kind/missing`` when nothing is
  ///   there, ``StateFileError/Kind/untrusted`` when it or a folder above it could have been
  ///   planted.
  public func readState(_ path: String, limit: Int = defaultReadLimit) throws(StateFileError) -> [UInt8] {
    try Self.readTrustedFile(unresolvedHostPath(path), limit: limit)
  }

  /// The names in the state folder `folder` (from the root), sorted by their bytes; empty
  /// when it does not exist.
  public func listState(_ folder: String, includingHidden: Bool = false) throws(StateFileError) -> [String] {
    let host = unresolvedHostPath(folder)
    let descriptor: Int32
    do {
      descriptor = try Self.openTrustedFolder(host, allowMissing: false)
    } catch  where error.kind == .missing {
      return []
    }
    let readable = openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    close(descriptor)
    guard readable >= 0, let directory = fdopendir(readable) else {
      let reason = String(cString: strerror(errno))
      if readable >= 0 { close(readable) }
      throw StateFileError(.unreadable, host, "cannot list: \(reason)")
    }
    defer { closedir(directory) }
    return Self.names(in: directory, includingHidden: includingHidden)
  }

  /// The bytes of the file at `host` (a path on this machine), read as the type's comment says.
  /// With `privateToOwner`, a file that its group or others can read is refused too (a key).
  static func readTrustedFile(_ host: String, limit: Int, privateToOwner: Bool = false) throws(StateFileError)
    -> [UInt8]
  {
    var parts = components(host)
    guard let name = parts.popLast() else { throw StateFileError(.untrusted, host, "is not a file") }
    let folder = try openTrustedFolder("/" + parts.joined(separator: "/"), allowMissing: false)
    defer { close(folder) }
    let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else { throw refusal(errno, at: folder, name, host) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw StateFileError(.unreadable, host, String(cString: strerror(errno)))
    }
    guard info.st_mode & S_IFMT == S_IFREG else { throw StateFileError(.untrusted, host, "is not a regular file") }
    if let problem = ownershipProblem(info, folder: false) { throw StateFileError(.untrusted, host, problem) }
    if privateToOwner, info.st_mode & 0o077 != 0 {
      throw StateFileError(
        .untrusted, host, "is readable by its group or others (mode \(String(info.st_mode & 0o7777, radix: 8)))")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { throw StateFileError(.unreadable, host, String(cString: strerror(errno))) }
      if count == 0 { return bytes }
      bytes += chunk[..<count]
      if bytes.count > limit { throw StateFileError(.unreadable, host, "is larger than \(limit) bytes") }
    }
  }

  /// A descriptor (`O_PATH`) of the folder `host` (a path on this machine) reached from
  /// `/` without links, every folder on the way judged by its descriptor. With
  /// `allowMissing`, a missing folder ends the walk without an error (the descriptor is
  /// then the last folder that exists).
  static func openTrustedFolder(_ host: String, allowMissing: Bool) throws(StateFileError) -> Int32 {
    var descriptor = open("/", openPathOnly | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw StateFileError(.unreadable, "/", String(cString: strerror(errno))) }
    var walked = ""
    do throws(StateFileError) {
      try judgeFolder(descriptor, "/")
      for part in components(host) {
        walked += "/" + part
        let next = openat(descriptor, part, openPathOnly | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if next < 0 && errno == ENOENT && allowMissing { return descriptor }
        guard next >= 0 else { throw refusal(errno, at: descriptor, part, walked) }
        close(descriptor)
        descriptor = next
        try judgeFolder(descriptor, walked)
      }
    } catch {
      close(descriptor)
      throw error
    }
    return descriptor
  }

  /// Throws when the folder open as `descriptor` (`host` on this machine) could have been
  /// changed by another user.
  private static func judgeFolder(_ descriptor: Int32, _ host: String) throws(StateFileError) {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw StateFileError(.unreadable, host, String(cString: strerror(errno)))
    }
    if let problem = ownershipProblem(info, folder: true) { throw StateFileError(.untrusted, host, problem) }
  }

  /// Why an entry of status `info` is not trusted (``Untrusted``, a root-owned sticky
  /// folder passing), in words; `nil` when trusted.
  static func ownershipProblem(_ info: stat, folder: Bool) -> String? {
    let what = folder ? "folder" : "file"
    switch Untrusted.judge(info, stickyRootFolder: true) {
    case .owner(let uid)?: return "is a \(what) owned by uid \(uid), not by root"
    case .writableByOthers(let mode)?:
      return "is a \(what) writable by its group or others (mode \(String(mode, radix: 8)))"
    case nil: return nil
    }
  }

  /// The refusal for `openat(folder, name)` failing with `code`: missing, a link, or the system's words.
  private static func refusal(_ code: Int32, at folder: Int32, _ name: String, _ host: String) -> StateFileError {
    if code == ENOENT { return StateFileError(.missing, host, "does not exist") }
    var info = stat()
    if fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
      switch info.st_mode & S_IFMT {
      case S_IFLNK: return StateFileError(.untrusted, host, "is a symbolic link")
      case S_IFDIR, S_IFREG: break
      default: return StateFileError(.untrusted, host, "is not a regular file or a folder")
      }
      if code == ENOTDIR { return StateFileError(.untrusted, host, "is not a folder") }
    }
    return StateFileError(.unreadable, host, String(cString: strerror(code)))
  }
}

/// `O_PATH` (Linux's `<bits/fcntl-linux.h>`, the same on x86-64 and AArch64), which the
/// Glibc module leaves out (it needs `_GNU_SOURCE`): a descriptor that only names a folder,
/// opened without read permission on it.
private let openPathOnly: Int32 = 0o10_000_000
