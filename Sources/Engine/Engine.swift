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

  /// Plans the desired state in `specText` as ``apply(_:progress:)`` will take it: the plan
  /// keeps what its traced providers read and returned, so that apply stands on it under the
  /// lock when nothing moved rather than planning again in full.
  public func planToApply(specText: String, specFile: String) throws(SpecError) -> Plan {
    var planner = planner
    planner.recordsTrace = true
    return try planner.plan(specText: specText, specFile: specFile)
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
      var report = ApplyReport(plan: shown, applied: [], skipped: [], backup: nil)
      report.warnings += signalReboot(shown)
      return report
    }
    if (!runsCommands && shown.onlyRegenerationPending) || shown.onlyDomainDefinitionsPending {
      // Only the host can regenerate or define: nothing is written, not even a backup.
      var report = ApplyReport(
        plan: shown, applied: [], skipped: shown.regeneration.map { [Self.offlineRegeneration($0)] } ?? [],
        backup: nil, pendingRegeneration: runsCommands ? nil : shown.regeneration)
      report.pendingCommands = runsCommands ? [] : Self.pendingHostCommands(shown)
      report.skipped += report.pendingCommands.map { "run \($0.shown): the root is not /; run it on the host" }
      report.skipped += shown.changes.flatMap(\.domainDefinitions).compactMap { change in
        change.refusal.map { "define domain \(change.name): \($0); nothing defined" }
      }
      return report
    }
    if let problem = root.stateFolderProblem(BackupStore.stateFolder) {
      throw .io(
        "refusing to keep virthost's lock, backups and trace where another user could change them: \(problem); nothing was applied"
      )
    }
    let lock = try ApplyLock(root: root, wait: lockWait)
    defer { withExtendedLifetime(lock) {} }
    // What the plan shown read still holds: its file part stands, only live values are read again.
    let fresh = replan(shown, reusing: shown)
    let differences = Self.differences(saved: PlanDocument(shown), current: PlanDocument(fresh))
    if !differences.isEmpty { throw .stale(differences) }
    var applier = Applier(host: root, runsCommands: runsCommands)
    applier.libvirtConnector = planner.libvirtConnector
    var report = try applier.apply(fresh, progress: progress)
    if !runsCommands, let regeneration = fresh.regeneration {
      // The step was skipped: whatever grub.cfg holds now, the host has to run it.
      report.pendingRegeneration = regeneration
    }
    let after = replan(shown, recording: true)
    report.after = after
    report.warnings += signalReboot(after)
    if !after.hasChanges, !after.hasErrors, let trace = after.trace {
      // Converged: the next plan can stand on what this one read (the fast path).
      Applier.keep(trace, root: root)
    }
    if after.hasChanges {
      // Offline, the files are written and the generated configuration stays stale until
      // the host regenerates it: "pending regeneration", not converged, not an error.
      guard (!runsCommands && after.onlyRegenerationPending) || after.onlyDomainDefinitionsPending else {
        throw .notConverged(after)
      }
      var pending = report
      if let regeneration = after.regeneration { pending.pendingRegeneration = regeneration }
      for command in Self.pendingHostCommands(after) where !pending.pendingCommands.contains(command) {
        pending.pendingCommands.append(command)
      }
      return pending
    }
    return report
  }

  /// On the live host, raises or lowers the reboot-required signal (``RebootSignal``) as
  /// `plan`, made after the apply, says; a warning when it could not be written.
  private func signalReboot(_ plan: Plan) -> [String] {
    guard root.isLive, runsCommands else { return [] }
    let reasons = plan.diagnostics.filter { $0.code == .rebootRequired }.map(\.summary)
    return RebootSignal.update(root, reasons: reasons).map { [$0] } ?? []
  }

  /// Under the lock, plans `shown` again recording what it reads, and keeps the trace when
  /// that plan is still empty; nothing else is written. Without the lock (a read-only root,
  /// another apply running), nothing at all.
  private func keepTrace(of shown: Plan) {
    guard root.stateFolderProblem(BackupStore.stateFolder) == nil, let lock = try? ApplyLock(root: root, wait: lockWait)
    else { return }
    defer { withExtendedLifetime(lock) {} }
    let now = replan(shown, recording: true, reusing: shown)
    if !now.hasChanges, !now.hasErrors, let trace = now.trace { Applier.keep(trace, root: root) }
  }

  /// The programs `plan` runs after its files or links (an initramfs rebuilt, a module
  /// loaded, insserv): what an apply on another root leaves to the host.
  static func pendingHostCommands(_ plan: Plan) -> [HostCommand] {
    plan.pendingChanges.flatMap(\.operations).compactMap {
      switch $0 {
      case .runAfterFiles(let command), .runAfterLinks(let command): command
      default: nil
      }
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
      current = try planToApply(specText: document.spec.text, specFile: document.spec.file)
    } catch {
      throw .spec(error)
    }
    let differences = Self.differences(saved: document, current: PlanDocument(current))
    if !differences.isEmpty { throw .stale(differences) }
    return try apply(current, progress: progress)
  }

  /// Plans again, rendering every file: what apply writes; with `earlier`, standing on its
  /// traced providers' results when they still hold (``Planner/plan(_:specText:specFile:reusing:)``).
  private func replan(_ plan: Plan, recording: Bool = false, reusing earlier: Plan? = nil) -> Plan {
    var planner = planner
    planner.rendersFiles = true
    planner.usesTrace = false
    planner.recordsTrace = recording
    let earlier = earlier.flatMap { $0.fileOperations.allSatisfy(\.isRendered) ? $0 : nil }
    return (try? SpecParser.parse(plan.specText, file: plan.specFile)).map {
      planner.plan($0, specText: plan.specText, specFile: plan.specFile, reusing: earlier)
    }
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
    if result.isEmpty, saved.changes.map(\.withoutDisplay) != current.changes.map(\.withoutDisplay) {
      let addresses = zip(saved.changes, current.changes).filter { $0.withoutDisplay != $1.withoutDisplay }.map(
        \.0.address)
      result.append(
        "the operations planned now differ"
          + (addresses.isEmpty ? "" : " for \(addresses.map(\.description).joined(separator: ", "))"))
    }
    return result
  }
}
