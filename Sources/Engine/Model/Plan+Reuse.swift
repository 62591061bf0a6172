import RootFS
import Synchronization

extension Plan {
  /// The part of a plan that another plan of the same desired state can stand on: the
  /// trace of its traced providers, and what each of them returned.
  struct Reusable {
    /// The key and reads the results depend on.
    var trace: ConvergedTrace
    /// The changes of each traced provider, operations included; empty for a converged
    /// trace read from disk, whose providers returned unchanged resources only.
    var changes: [Int: [ResourceChange]]
  }

  /// What a plan with `key` under `root` can take from this one: its traced providers'
  /// results, when this plan recorded them for the same key and every read it recorded
  /// still answers the same; `nil` otherwise.
  func reusableTrace(for key: ConvergedTrace.Key, in root: HostRoot) -> Reusable? {
    guard let trace, let tracedChanges, trace.key == key, !key.traced.isEmpty,
      key.traced.allSatisfy({ tracedChanges[$0] != nil }), trace.reads.mismatch(in: root) == nil
    else { return nil }
    return Reusable(trace: trace, changes: tracedChanges)
  }
}

/// Counts the full plans a planner makes: those that ran a provider whose results follow
/// from the root's files (parsed them), rather than taking them from a converged trace or
/// from the plan shown. A test's probe: apply must make at most two when nothing moved.
final class PlanProbe: Sendable {
  private let count = Mutex(0)

  init() {}

  /// How many full plans were made.
  var fullPlans: Int { count.withLock { $0 } }

  func countFullPlan() { count.withLock { $0 += 1 } }
}
