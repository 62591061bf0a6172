#if canImport(Glibc)
  import Glibc
#endif

extension HostRootWriter {
  /// Opens the file at `path` read-write for an advisory lock (`flock`), creating it
  /// (empty, mode 0644) and the folders above it (mode 0755) when missing; never
  /// truncates or writes it. The caller locks and closes the descriptor.
  public func openLockFile(_ path: String) throws(HostRootError) -> Int32 {
    guard let resolved = root.resolve(path) else { throw .tooManyLinks(path) }
    for folder in missingFolders(above: resolved) {
      guard mkdir(root.unresolvedHostPath(folder), 0o755) == 0 || errno == EEXIST else {
        throw .from(errno: errno, path, "create the folder \(folder) for")
      }
    }
    let descriptor = open(root.unresolvedHostPath(resolved), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .from(errno: errno, path, "open") }
    return descriptor
  }
}
