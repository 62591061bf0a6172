#if canImport(Glibc)
  import Glibc
#endif

/// What callers outside the root layer need of a host path besides reading and writing
/// files: a descriptor (a character device, a live kernel file the daemon reads every
/// cycle, `/proc` to scan), an access test, a root below this one, and the words for a
/// message. The machine path itself stays here.
extension HostRoot {
  /// The path on this machine of `path` (links resolved inside the root when they can be),
  /// for messages only: never open it, ask this type.
  public func describe(_ path: String) -> String {
    unresolvedHostPath(resolveUnrecorded(path) ?? path)
  }

  /// A descriptor of `path` (links resolved inside the root) opened with the `open(2)`
  /// flags `flags` (`O_CLOEXEC` always added) and, when it creates a file, `mode`. The
  /// caller closes it.
  ///
  /// - Throws: ``HostRootError`` naming `path`: links that loop, or `errno`'s words.
  public func openDescriptor(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(HostRootError) -> Int32 {
    guard let host = hostPath(path) else { throw .tooManyLinks(path) }
    let descriptor = open(host, flags | O_CLOEXEC, mode)
    guard descriptor >= 0 else { throw .from(errno: errno, path, "open") }
    return descriptor
  }

  /// Whether the user running virthost may access `path` as `mode` (`R_OK | W_OK`) by the
  /// kernel's own judgement (`access(2)`: ACLs, capabilities); `nil` when its links loop.
  public func isAccessible(_ path: String, _ mode: Int32) -> Bool? {
    hostPath(path).map { access($0, mode) == 0 }
  }

  /// The folder `path` of this root as a root of its own (a fleet's host folders), a link
  /// there followed as `HostRoot(_:)` follows one.
  public func root(at path: String) throws(HostRootError) -> HostRoot {
    try HostRoot(unresolvedHostPath(path))
  }

  /// The path on this machine of the program file `path` (links resolved inside the root),
  /// to hand to the program runner; only the live root runs programs.
  public func programPath(_ path: String) -> String {
    hostPath(path) ?? unresolvedHostPath(path)
  }

  /// The folders, from the root, where a host's programs are looked for by name.
  public static let programFolders = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

  /// The first of `candidates` (paths from the root) that is a regular executable file, as
  /// ``programPath(_:)`` gives it; `nil` when none is. The one lookup of a host's programs.
  public func findProgram(_ candidates: [String]) -> String? {
    candidates.first { status($0).map { $0.kind == .regular && $0.mode & 0o111 != 0 } ?? false }.map(programPath)
  }

  /// Where a program of virthost keeps a file of its own under this root (the tuner's
  /// pidfile and log), as a path on this machine, links resolved inside the root: for that
  /// program's own files only, which it opens itself; host files go through this type.
  public func ownFilePath(_ path: String) -> String {
    describe(path)
  }
}
