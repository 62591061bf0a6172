#if canImport(Glibc)
  import Glibc
#endif

extension HostRootWriter {
  /// Removes the temporary files that a write of `path` killed half-way left in its
  /// folder (`.NAME.virthost-…`, never listed by readers of configuration folders), so
  /// that the next write leaves no litter. Only the applier calls it, under the root's lock.
  public func removeTemporaries(of path: String) throws(HostRootError) {
    guard let resolved = root.physical(path) else { throw .tooManyLinks(path) }
    var parts = HostRoot.components(resolved)
    guard let name = parts.popLast() else { return }
    let folder = "/" + parts.joined(separator: "/")
    let prefix = "." + name + ".virthost-"
    for entry in root.listIfPresent(folder, includingHidden: true) where entry.hasPrefix(prefix) {
      try remove((folder == "/" ? "" : folder) + "/" + entry)
    }
  }
}
