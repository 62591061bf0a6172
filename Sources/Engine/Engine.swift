import Editors
import Foundation
import RootFS

/// The engine's entry point: plans a desired state, applies a plan or a saved
/// plan under the root's lock, and rolls the last apply back.
///
/// Checking and applying share one path: apply plans again under the lock and
/// carries out exactly the operations of that plan, which must equal the plan
/// shown (or saved); afterwards it plans once more and requires no changes.
public struct Engine: Sendable {
  /// virthost's version: what `virthost --version` prints, and part of a converged trace's key.
  public static let version = "0.1.0"
  /// Makes the plans.
  public var planner: Planner
  /// How long a second apply waits for the lock before giving up.
  public var lockWait: Duration
  /// Whether commands run on the host (boot-loader regeneration, service start
  /// and stop); by default only when the root is `/`.
  public var runsCommands: Bool

  /// An engine for `planner`'s root.
  public init(planner: Planner, lockWait: Duration = .seconds(3), runsCommands: Bool? = nil) {
    self.planner = planner
    self.lockWait = lockWait
    self.runsCommands = runsCommands ?? planner.root.isLive
  }

  private var root: HostRoot { planner.root }

  /// Plans the desired state in `specText`.
  public func plan(specText: String, specFile: String) throws(SpecError) -> Plan {
    try planner.plan(specText: specText, specFile: specFile)
  }

  /// Applies `shown`, the plan the user saw: under the lock, plans again, refuses
  /// when anything differs, backs up, applies step by step and confirms that a new
  /// plan is empty. A plan without changes writes nothing at all.
  public func apply(_ shown: Plan, progress: (ApplyEvent) -> Void = { _ in }) throws(EngineError) -> ApplyReport {
    if shown.hasErrors { throw .planHasErrors(shown.diagnostics) }
    if let file = shown.fileOperations.first(where: { !$0.isRendered }) {
      throw .io("the plan was made without the new text of \(file.path) (rendersFiles off); nothing was applied")
    }
    guard shown.hasChanges else {
      // Nothing to apply, but a host converged without a trace (by hand, by an earlier
      // virthost) keeps one, so that the next run takes the fast path.
      if case .full = shown.readPath, !shown.hasErrors { keepTrace(of: shown) }
      return ApplyReport(plan: shown, applied: [], skipped: [], backup: nil)
    }
    if !runsCommands, shown.onlyRegenerationPending {
      // Only the host can regenerate: nothing is written, not even a backup.
      var report = ApplyReport(
        plan: shown, applied: [], skipped: shown.regeneration.map { [Self.offlineRegeneration($0)] } ?? [],
        backup: nil, pendingRegeneration: shown.regeneration)
      report.pendingCommands = Self.initramfsCommands(shown)
      report.skipped += report.pendingCommands.map { "run \($0.shown): the root is not /; run it on the host" }
      return report
    }
    let lock = try ApplyLock(root: root, wait: lockWait)
    defer { withExtendedLifetime(lock) {} }
    let fresh = replan(shown)
    let differences = Self.differences(saved: PlanDocument(shown), current: PlanDocument(fresh))
    if !differences.isEmpty { throw .stale(differences) }
    var report = try Applier(host: root, runsCommands: runsCommands).apply(fresh, progress: progress)
    if !runsCommands, let regeneration = fresh.regeneration {
      // The step was skipped: whatever grub.cfg holds now, the host has to run it.
      report.pendingRegeneration = regeneration
    }
    let after = replan(shown, recording: true)
    if !after.hasChanges, !after.hasErrors, let trace = after.trace {
      // Converged: the next plan can stand on what this one read (the fast path).
      Applier.keep(trace, root: root)
    }
    if after.hasChanges {
      // Offline, the files are written and the generated configuration stays stale until
      // the host regenerates it: "pending regeneration", not converged, not an error.
      guard !runsCommands, after.onlyRegenerationPending else { throw .notConverged(after) }
      var pending = report
      if let regeneration = after.regeneration { pending.pendingRegeneration = regeneration }
      for command in Self.initramfsCommands(after) where !pending.pendingCommands.contains(command) {
        pending.pendingCommands.append(command)
      }
      return pending
    }
    return report
  }

  /// Under the lock, plans `shown` again recording what it reads, and keeps the trace when
  /// that plan is still empty; nothing else is written. Without the lock (a read-only root,
  /// another apply running), nothing at all.
  private func keepTrace(of shown: Plan) {
    guard let lock = try? ApplyLock(root: root, wait: lockWait) else { return }
    defer { withExtendedLifetime(lock) {} }
    let now = replan(shown, recording: true)
    if !now.hasChanges, !now.hasErrors, let trace = now.trace { Applier.keep(trace, root: root) }
  }

  /// The initramfs runs `plan` leaves pending (its `initramfs_regeneration` resources).
  static func initramfsCommands(_ plan: Plan) -> [HostCommand] {
    plan.pendingChanges.filter { $0.address.kind == .initramfsRegeneration }.compactMap {
      InitramfsTool(rawValue: $0.address.name)?.command
    }
  }

  /// The step an offline apply leaves to the host.
  static func offlineRegeneration(_ regeneration: Regeneration) -> String {
    "regenerate the boot loader (\(regeneration.command.joined(separator: " "))): the root is not /; run it on the host"
  }

  /// Applies a saved plan: refuses it when anything it read has changed (saying
  /// what), otherwise applies it as ``apply(_:progress:)`` does.
  public func apply(saved document: PlanDocument, progress: (ApplyEvent) -> Void = { _ in }) throws(EngineError)
    -> ApplyReport
  {
    let current: Plan
    do {
      current = try planner.plan(specText: document.spec.text, specFile: document.spec.file)
    } catch {
      throw .spec(error)
    }
    let differences = Self.differences(saved: document, current: PlanDocument(current))
    if !differences.isEmpty { throw .stale(differences) }
    return try apply(current, progress: progress)
  }

  /// Plans again, rendering every file: what apply writes.
  private func replan(_ plan: Plan, recording: Bool = false) -> Plan {
    var planner = planner
    planner.rendersFiles = true
    planner.usesTrace = false
    planner.recordsTrace = recording
    return (try? planner.plan(specText: plan.specText, specFile: plan.specFile))
      ?? Plan(
        root: plan.root, specFile: plan.specFile, specText: plan.specText, changes: [],
        diagnostics: [Diagnostic(.error, .specNoLongerParses, "the desired state no longer parses")], observations: [],
        regeneration: nil)
  }

  /// What differs between a saved plan and one made now, one sentence each; empty when the saved plan is fresh.
  public static func differences(saved: PlanDocument, current: PlanDocument) -> [String] {
    var result: [String] = []
    if saved.root != current.root { result.append("the plan was made for root \(saved.root), not \(current.root)") }
    let before = Dictionary(saved.reads.map { ($0.source, $0.digest) }, uniquingKeysWith: { a, _ in a })
    let now = Dictionary(current.reads.map { ($0.source, $0.digest) }, uniquingKeysWith: { a, _ in a })
    for source in Set(before.keys).union(now.keys).sorted() where before[source] != now[source] {
      let what = source == .facts ? "the host's facts (CPU, NUMA nodes, kernel)" : source.description
      switch (before[source], now[source]) {
      case (nil, _): result.append("\(what) is read now but was not then")
      case (_, nil): result.append("\(what) is no longer read")
      case (.absent?, _): result.append("\(what) was created")
      case (_, .absent?): result.append("\(what) was removed")
      default: result.append("\(what) changed")
      }
    }
    if result.isEmpty, saved.changes.map(\.operations) != current.changes.map(\.operations) {
      let addresses = zip(saved.changes, current.changes).filter { $0.operations != $1.operations }.map(\.0.address)
      result.append(
        "the operations planned now differ"
          + (addresses.isEmpty ? "" : " for \(addresses.map(\.description).joined(separator: ", "))"))
    }
    return result
  }

  /// Restores the last apply's backup: its files byte for byte (files it created
  /// are removed), its enablement links and live values; marks it rolled back. When a
  /// restored file is one the initramfs carries (the vfio files), the initramfs tool runs
  /// on the live host, or is returned in ``RollbackReport/pendingCommands`` offline.
  public func rollback(progress: (ApplyEvent) -> Void = { _ in }) throws(EngineError) -> RollbackReport {
    let lock = try ApplyLock(root: root, wait: lockWait)
    defer { withExtendedLifetime(lock) {} }
    let store = BackupStore(root: root)
    guard let name = store.names().last else {
      throw .rollback("nothing to roll back: no backups under \(store.hostFolder)")
    }
    var manifest: BackupStore.Manifest
    do {
      manifest = try store.read(name)
    } catch {
      throw .rollback("backup \(name) cannot be read: \(error)")
    }
    if manifest.rolledBack { throw .rollback("the last apply (backup \(name)) has been rolled back already") }
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
    let writer = HostRootWriter(root)
    for file in manifest.files.reversed() {
      if file.existed {
        // The file keeps the mode, owner and attributes the apply kept; one the apply removed gets its mode back.
        try step("restore \(file.path)") {
          try writer.removeTemporaries(of: file.path)
          try writer.replace(
            file.path, with: try store.backedUpBytes(file.path, in: name), mode: UInt32(file.mode ?? 0o644))
        }
      } else {
        try step("remove \(file.path)") {
          try writer.remove(file.path)
          for folder in file.createdFolders.reversed() { try writer.removeEmptyFolder(folder) }
        }
      }
    }
    for link in manifest.links.reversed() {
      switch link.kind {
      case .create:
        try step("remove link \(link.path)") { try writer.remove(link.path) }
      case .remove:
        try step("restore link \(link.path) -> \(link.target)") { try writer.link(link.path, to: link.target) }
      }
    }
    for folder in manifest.linkFolders.reversed() {
      try step("remove folder \(folder) when empty") { try writer.removeEmptyFolder(folder) }
    }
    for live in manifest.live {
      try step("write \(live.value) to \(live.path)") { try writer.writeLive(live.path, live.value) }
    }
    // The initramfs images carry the vfio files the apply wrote: they are rebuilt from the
    // restored files, on the live host (like the apply's own run), or left pending offline.
    var pendingCommands: [HostCommand] = []
    if manifest.files.contains(where: { PassthroughProvider.initramfsInputs.contains($0.path) }),
      let tool = InitramfsTool.detect(root)
    {
      if runsCommands {
        try step("run \(tool.command.shown)") { try Applier.run(tool.command, in: root) }
      } else {
        pendingCommands.append(tool.command)
      }
    }
    manifest.rolledBack = true
    do {
      try store.write(manifest, name)
    } catch {
      throw .io("cannot mark backup \(name) as rolled back: \(error)")
    }
    return RollbackReport(backup: name, restored: restored, pendingCommands: pendingCommands)
  }
}
