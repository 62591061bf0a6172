import RootFS

extension Applier {
  /// Keeps the trace of a converged apply's re-plan at ``ConvergedTrace/path``: whatever
  /// is there (a file, a symlink someone planted) is removed first, so the new file is a
  /// regular file, owned by the user applying (root) and readable by it alone (0600),
  /// written atomically, sealed with this machine's ``StateKey`` (made on first use). A
  /// trace that cannot be written (no key, a state folder others could write) is left
  /// out: the next plan takes the full path, which is always right.
  static func keep(_ trace: ConvergedTrace, root: HostRoot) {
    guard trace.isConverged, !trace.reads.records.isEmpty,
      root.stateFolderProblem(BackupStore.stateFolder) == nil,
      let key = try? StateKey.machine(creating: true)
    else { return }
    let writer = HostRootWriter(root)
    do {
      try writer.remove(ConvergedTrace.legacyPath)
      // A temporary an interrupted keep left (killed between write and rename) goes first,
      // as the applier does for every file it writes.
      try writer.removeTemporaries(of: ConvergedTrace.path)
      try writer.remove(ConvergedTrace.path)
      try writer.replace(ConvergedTrace.path, with: trace.sealed(for: root, key: key), mode: 0o600)
    } catch {
      try? writer.remove(ConvergedTrace.path)
    }
  }
}
