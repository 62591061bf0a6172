import Editors

/// What it takes to bring one host to a desired state: every resource the desired
/// state expands into, in apply order, with the diagnostics found on the way and
/// everything read to make it.
///
/// A plain value: renderers show it, ``PlanDocument`` saves it, ``Applier`` carries it out.
public struct Plan: Sendable, Equatable {
  /// The version of the plan's saved and JSON form; raised on any incompatible change.
  /// Version 2 added each diagnostic's `code`; version 3 replaced each change's `files`,
  /// `links`, `enable_after_install`, `service`, `live_writes` and `regenerates_boot_loader`
  /// with one list of typed `operations` (docs/engine.md). An older plan is refused: plan again.
  public static let formatVersion = 3
  /// The versions of saved plans this engine reads.
  public static let readableFormatVersions = 3...formatVersion

  /// The host's root directory.
  public var root: String
  /// The desired-state file as the user named it.
  public var specFile: String
  /// The desired-state file's text.
  public var specText: String
  /// Every resource, unchanged ones included, in apply order: files, then services, then live values.
  public var changes: [ResourceChange]
  /// Errors, warnings and notes, errors first.
  public var diagnostics: [Diagnostic]
  /// What was read from the host, sorted by source.
  public var observations: [Observation]
  /// The boot-loader regeneration run once after the files, when kernel arguments change.
  public var regeneration: Regeneration?
  /// Display only: whether the files were parsed or the converged trace stood for them, and why.
  public var readPath: ReadPath = .full("not checked")
  /// What the plan's traced providers read, when the planner recorded it (the plan apply
  /// makes after writing): what the applier keeps when the plan is empty.
  public var trace: ConvergedTrace?
  /// Every change of the traced providers, by provider, when the planner recorded the trace:
  /// with ``trace``, what a plan under apply's lock reuses when nothing moved.
  var tracedChanges: [Int: [ResourceChange]]?

  /// Creates a plan.
  public init(
    root: String, specFile: String, specText: String, changes: [ResourceChange], diagnostics: [Diagnostic],
    observations: [Observation], regeneration: Regeneration?
  ) {
    self.root = root
    self.specFile = specFile
    self.specText = specText
    self.changes = changes
    self.diagnostics = diagnostics.sorted { $0.severity < $1.severity }
    self.observations = observations.sorted { $0.source < $1.source }
    self.regeneration = regeneration
  }

  /// The resources that change.
  public var pendingChanges: [ResourceChange] { changes.filter(\.isChange) }
  /// Whether anything would change.
  public var hasChanges: Bool { changes.contains(where: \.isChange) }
  /// Whether the only changes are `boot_loader_regeneration` resources: the files are
  /// right and a generated configuration is stale ("pending regeneration"); domain
  /// definitions and changes made only by a host's program (an ostree host's `rpm-ostree kargs`),
  /// which are left to the host as well, may be pending beside them.
  public var onlyRegenerationPending: Bool {
    hasChanges
      && pendingChanges.allSatisfy {
        [.bootLoaderRegeneration, .initramfsRegeneration].contains($0.address.kind) || $0.isDomainLeftToHost
          || $0.onlyRunsHostCommands
      }
  }
  /// Whether the only changes are domain definitions (`guests:`) that this apply does not
  /// make (another root than `/`): they are shown, and defined on the host (docs/guests.md).
  public var onlyDomainDefinitionsPending: Bool {
    hasChanges && pendingChanges.allSatisfy(\.isDomainLeftToHost)
  }
  /// Whether an error stops the plan from being applied.
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  /// How many changes carry each action, in ``Action``'s order, zero counts left out.
  public var actionCounts: [(action: Action, count: Int)] {
    Action.allCases.dropFirst().compactMap { action in
      let count = changes.filter { $0.actions.contains(action) }.count
      return count > 0 ? (action, count) : nil
    }
  }

  /// `Plan: 3 to change, 2 to enable.`, or the no-change sentence.
  public var summary: String {
    guard hasChanges else { return "No changes. The host matches the desired state." }
    return "Plan: " + actionCounts.map { "\($0.count) to \($0.action.summaryVerb)" }.joined(separator: ", ") + "."
  }

  /// Every file operation of the plan, in apply order.
  public var fileOperations: [FileOperation] { changes.flatMap(\.files) }

  /// What the plan's diff shows: every file operation, then each domain's XML before and after
  /// its definition (never written as a file).
  public var diffedOperations: [FileOperation] { fileOperations + changes.flatMap(\.domainDefinitions).map(\.xml) }

  /// Whether the running kernel lacks what the plan configures for the next boot
  /// (a ``Diagnostic/Code/rebootRequired`` diagnostic).
  public var rebootRequired: Bool { diagnostics.contains { $0.code == .rebootRequired } }

}
