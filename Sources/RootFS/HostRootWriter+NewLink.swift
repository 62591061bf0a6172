#if canImport(Glibc)
  import Glibc
#endif

extension HostRootWriter {
  /// Creates the symlink `path` with the text `target` where nothing stands yet, in one
  /// `symlink(2)`, which is atomic by itself: unlike ``link(_:to:)``, no temporary link is
  /// left behind when the process dies halfway. Folders above it are created (mode 0755).
  ///
  /// - Throws: ``HostRootError/system(_:operation:reason:)`` (`File exists`) when anything,
  ///   a dangling link included, is already at `path`; nothing is changed then.
  public func createLink(_ path: String, to target: String) throws(HostRootError) {
    guard let physical = root.physical(path) else { throw .tooManyLinks(path) }
    for folder in missingFolders(above: physical) {
      guard mkdir(root.unresolvedHostPath(folder), 0o755) == 0 || errno == EEXIST else {
        throw .from(errno: errno, path, "create the folder \(folder) for")
      }
    }
    let host = root.unresolvedHostPath(physical)
    guard symlink(target, host) == 0 else { throw .from(errno: errno, path, "create the link") }
    let slash = host.utf8.lastIndex(of: UInt8(ascii: "/")) ?? host.startIndex
    let descriptor = open(slash == host.startIndex ? "/" : String(host[..<slash]), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if descriptor >= 0 {
      fsync(descriptor)
      close(descriptor)
    }
  }
}
