import Editors

/// One kind of resource, as Puppet's providers are: reads the current state of its
/// part of the host, compares it with the desired state it was made with, and
/// returns one ``ResourceChange`` per resource (unchanged ones included) whose
/// operations bring the host there.
///
/// Providers only read; ``Applier`` carries out the operations they return.
protocol ResourceProvider {
  /// The desired-state key the provider serves, for diagnostics (`ksm.settings`).
  var origin: String { get }

  /// Reads the host through `context` and returns the changes, recording what it
  /// read and any diagnostics in `context`.
  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange]

  /// Whether everything the provider returns in `context` follows from what it reads of
  /// the root's files (through ``HostRoot``, so recorded in a ``ReadTrace``), the desired
  /// state and the host's facts: then the trace of a converged apply can stand for it.
  /// `false` (the default) for anything live (a running service, `/proc/sys`, sysfs) or
  /// read outside the root: such a provider runs in every plan.
  func isTraced(in context: PlanContext) -> Bool
}

extension ResourceProvider {
  func isTraced(in context: PlanContext) -> Bool { false }
}
