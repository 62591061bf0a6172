import Editors

/// One resource in a plan: its current and desired value, what will be done to
/// it and why, and the concrete operations that do it.
///
/// The same value is the dry run and the work list: ``Applier`` carries out
/// exactly these ``operations``, in the plan's order, phase by phase.
public struct ResourceChange: Sendable, Equatable {
  /// The resource.
  public var address: ResourceAddress
  /// What will be done; `[.noop]` when the host already matches.
  public var actions: [Action]
  /// The current value in words, for display (`absent`, `KSM_NPAGES_MAX=1250 (commented out)`).
  public var before: String?
  /// The desired value in words, for display.
  public var after: String?
  /// Why: which desired key asks for this and what it means on this host.
  public var reason: String
  /// The desired-state keys this resource was expanded from (`iommu`, `ksm.enabled`), one
  /// each, sorted: a resource several keys want names them all.
  public var origins: [String]
  /// ``origins`` for display, joined with ", " (`iommu, kernel.args.present`).
  public var origin: String { origins.joined(separator: ", ") }
  /// The desired-state keys of the change, as the backup manifest records them.
  public var keys: [String] { origins }
  /// How: what an apply does, in order (see ``Operation``); empty for an unchanged resource,
  /// and for a change only the host can make (shown, and pending on another root).
  public var operations: [Operation] = []

  /// Creates a change wanted by the key `origin`.
  public init(
    _ address: ResourceAddress, actions: [Action], before: String?, after: String?, reason: String, origin: String
  ) {
    self.init(address, actions: actions, before: before, after: after, reason: reason, origins: [origin])
  }

  /// Creates a change wanted by the keys `origins` (kept once each, sorted).
  public init(
    _ address: ResourceAddress, actions: [Action], before: String?, after: String?, reason: String,
    origins: [String]
  ) {
    self.address = address
    self.actions = actions.isEmpty ? [.noop] : actions
    self.before = before
    self.after = after
    self.reason = reason
    self.origins = Array(Set(origins)).sorted()
  }

  /// Whether anything is done to the resource.
  public var isChange: Bool { actions != [.noop] }

  /// The one symbol shown for the change: the actions' common symbol, or `~` when they differ.
  public var symbol: String {
    let symbols = Set(actions.map(\.symbol))
    return symbols.count == 1 ? symbols.first! : "~"
  }
}
