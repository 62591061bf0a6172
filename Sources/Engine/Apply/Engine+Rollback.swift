import Editors
import HostConfig
import RootFS

extension Engine {
  /// Restores the last apply's backup: its files byte for byte (files it created
  /// are removed), its enablement links and live values; marks it rolled back. On a Debian
  /// SysV root with insserv, which renumbers rc links after the apply, each script renamed
  /// gets its `S`/`K` letters back and `insserv NAME` runs again (pending offline) instead
  /// (``UpdateRcDScripts/undoing(_:)``). When a
  /// restored file is one the initramfs carries (the vfio files), the initramfs tool runs
  /// on the live host, or is returned in ``RollbackReport/pendingCommands`` offline.
  ///
  /// The backup is trusted before anything is written: its folders and files are root's
  /// alone (``HostRoot/readState(_:limit:)``), every path it names is a plain path inside
  /// the root (``BackupStore/pathProblem(_:kind:)``), a format-2 manifest authenticates
  /// with this machine's key for this root, and each copy has the digest the manifest
  /// records. `trustUnauthenticated` (the live root only: a host restored without its key)
  /// accepts a format-2 manifest whose MAC fails; the paths are still checked. A format-1
  /// backup (an earlier virthost's) rolls back as recorded, with a warning.
  public func rollback(
    trustUnauthenticated: Bool = false, force: Bool = false, progress: (ApplyEvent) -> Void = { _ in }
  ) throws(EngineError) -> RollbackReport {
    let root = planner.root
    if trustUnauthenticated, !root.isLive {
      throw .rollback("--trust-unauthenticated-backup is for the live root only (/), not \(root.path); nothing written")
    }
    if let problem = root.stateFolderProblem(BackupStore.folder) {
      throw .rollback("refusing to roll back from backups another user could have written: \(problem)")
    }
    let lock = try ApplyLock(root: root, wait: lockWait)
    defer { withExtendedLifetime(lock) {} }
    let store = BackupStore(root: root)
    let (name, loaded, warnings) = try lastTrustedBackup(in: store, trustUnauthenticated: trustUnauthenticated)
    var manifest = loaded.manifest
    if manifest.rolledBack { throw .rollback("the last apply (backup \(name)) has been rolled back already") }
    if let problem = store.problems(of: manifest).first {
      throw .rollback("backup \(name) is refused: \(problem); nothing written")
    }
    let decision = loaded.formatVersion >= 2 ? ThreeWayRollback(manifest, name: name, store: store, force: force) : nil
    // Every copy is read and checked before the first write: a refused backup writes nothing.
    var copies: [String: [UInt8]] = [:]
    for file in manifest.files where file.existed && (decision?.files[file.path] ?? .restore) == .restore {
      do {
        copies[file.path] = try store.backedUpBytes(
          file.path, in: name, sha256: loaded.formatVersion >= 2 ? file.replacedSha256 : nil)
      } catch {
        throw .rollback("backup \(name) is refused: \(error); nothing written")
      }
    }
    var restored: [String] = []
    func step(_ description: String, _ body: () throws -> Void) throws(EngineError) {
      progress(ApplyEvent(step: description, outcome: .started))
      do {
        try body()
      } catch {
        progress(ApplyEvent(step: description, outcome: .failed("\(error)")))
        throw .rollback("rollback of \(name) failed at \(description): \(error); restored so far: \(restored)")
      }
      progress(ApplyEvent(step: description, outcome: .done))
      restored.append(description)
    }
    func skip(_ description: String, _ reason: String) {
      progress(ApplyEvent(step: description, outcome: .skipped(reason)))
    }
    let writer = HostRootWriter(root)
    var inputsChanged: [String] = []
    for file in manifest.files.reversed() {
      switch decision?.files[file.path] ?? (file.existed ? .restore : .remove) {
      case .restore:
        // The file keeps the mode, owner and attributes the apply kept; one the apply removed gets its mode back.
        try step("restore \(file.path)") {
          try writer.removeTemporaries(of: file.path)
          try writer.replace(file.path, with: copies[file.path] ?? [], mode: UInt32(file.mode ?? 0o644))
        }
        inputsChanged.append(file.path)
      case .remove:
        try step("remove \(file.path)") {
          try writer.remove(file.path)
          for folder in file.createdFolders.reversed() { try writer.removeEmptyFolder(folder) }
        }
        inputsChanged.append(file.path)
      case .asBefore: skip("restore \(file.path)", "it is as it was before the apply")
      case .removedSince: skip("restore \(file.path)", "it was removed since the apply; left removed")
      case .generated: skip("restore \(file.path)", "its generator runs again instead")
      case .changedSince: skip("restore \(file.path)", "it changed since the apply (diff below); --force restores it")
      case .heldBack:
        skip("restore \(file.path)", "held back with the other changes of \((file.keys ?? []).joined(separator: ", "))")
      }
    }
    var pendingCommands: [HostCommand] = []
    if let undo = UpdateRcDScripts(root: root).undoing(manifest.links) {
      // insserv has renumbered the links since: each script gets its letters back, then insserv runs again.
      for link in undo.links {
        switch link.kind {
        case .create:
          try step("restore link \(link.path) -> \(link.target)") { try writer.link(link.path, to: link.target) }
        case .remove: try step("remove link \(link.path)") { try writer.remove(link.path) }
        }
      }
      for command in undo.programs {
        if runsCommands {
          try step("run \(command.shown)") { try Applier.run(command, in: root) }
        } else {
          pendingCommands.append(command)
        }
      }
    } else {
      for link in manifest.links.reversed() {
        switch link.kind {
        case .create:
          try step("remove link \(link.path)") { try writer.remove(link.path) }
        case .remove:
          try step("restore link \(link.path) -> \(link.target)") { try writer.link(link.path, to: link.target) }
        }
      }
    }
    for folder in manifest.linkFolders.reversed() {
      try step("remove folder \(folder) when empty") { try writer.removeEmptyFolder(folder) }
    }
    // In the apply's order (KSM unmerged before merge_across_nodes changes), or format 1's.
    for live in decision?.live.map({ ($0.path, $0.value) }) ?? manifest.live.map({ ($0.path, $0.value) }) {
      try step("write \(live.1) to \(live.0)") { try writer.writeLive(live.0, live.1) }
    }
    // Domains after the files and live values, as the apply defined them after those.
    let refusedDomains = try rollBackDomains(manifest, force: force, step: step, skip: skip)
    // grub.cfg is generated again from the restored inputs, as the apply generated it:
    // on the live host, or left pending on another root.
    var pendingRegeneration: Regeneration?
    if let record = manifest.regeneration, decision?.regenerates == true, !inputsChanged.isEmpty,
      !record.outputs.isEmpty
    {
      let regeneration = record.regeneration
      if runsCommands {
        try step("regenerate the boot loader (\(regeneration.command.joined(separator: " ")))") {
          try Applier.regenerate(regeneration, in: root)
        }
      } else {
        pendingRegeneration = regeneration
      }
    }
    // The initramfs images carry the vfio files the apply wrote: they are rebuilt from the
    // restored files, on the live host (like the apply's own run), or left pending offline.
    let initramfsInputs = decision == nil ? manifest.files.map(\.path) : inputsChanged
    if initramfsInputs.contains(where: { PassthroughProvider.initramfsInputs.contains($0) }),
      let tool = InitramfsTool.detect(root)
    {
      if runsCommands {
        try step("run \(tool.command.shown)") { try Applier.run(tool.command, in: root) }
      } else {
        pendingCommands.append(tool.command)
      }
    }
    let refused =
      (decision?.changed(in: manifest) ?? []).map { RollbackReport.Refusal(path: $0.path, detail: $0.diff) }
      + refusedDomains
    var report = RollbackReport(backup: name, restored: restored, pendingCommands: pendingCommands, warnings: warnings)
    report.refused = refused
    report.heldBackKeys = (decision?.refusedKeys ?? []).sorted()
    report.pendingRegeneration = pendingRegeneration
    // A partial rollback stays open: run again (with --force for what changed since), and
    // what is already as before is left alone.
    guard refused.isEmpty else { return report }
    manifest.rolledBack = true
    do {
      try store.write(manifest, name)
    } catch {
      throw .io("cannot mark backup \(name) as rolled back: \(error)")
    }
    return report
  }

  /// The last backup in `store`, read and authenticated (see ``rollback(trustUnauthenticated:force:progress:)``),
  /// with the warnings the admin should see. Called under the root's lock.
  private func lastTrustedBackup(in store: BackupStore, trustUnauthenticated: Bool) throws(EngineError) -> (
    name: String, loaded: BackupStore.Loaded, warnings: [String]
  ) {
    let root = store.root
    let name: String
    do {
      guard let last = try store.names().last else {
        throw EngineError.rollback("nothing to roll back: no backups under \(store.hostFolder)")
      }
      name = last
    } catch let error as EngineError {
      throw error
    } catch {
      throw .rollback("refusing to roll back: \(error)")
    }
    let loaded: BackupStore.Loaded
    do {
      loaded = try store.read(name)
    } catch {
      throw .rollback("backup \(name) cannot be read: \(error)")
    }
    var warnings: [String] = []
    if loaded.formatVersion == 1 {
      warnings.append(
        "backup \(name) was made by an earlier virthost (manifest format 1): it cannot be authenticated; "
          + "rolled back as recorded")
    } else if !loaded.isAuthentic {
      guard trustUnauthenticated else {
        throw .rollback(
          "backup \(name) was not written on this machine for \(root.path): its manifest does not authenticate with "
            + "the state key \(StateKey.location); nothing written (on a host restored without its key, check the "
            + "backup and run rollback --trust-unauthenticated-backup)")
      }
      warnings.append(
        "backup \(name) does not authenticate; rolled back because --trust-unauthenticated-backup was given")
    }
    return (name, loaded, warnings)
  }
}
