import Foundation
import TestSupport
import Testing

@testable import Engine

/// How many full plans (plans that parse the root's files) an apply makes, counted by a
/// ``PlanProbe``: the plan shown and the plan after the apply, and no third when nothing
/// moved in between; a full plan under the lock again when something did.
@Suite struct ApplyPlanCountTests {
  /// `host`'s engine with a probe on its planner.
  static func engine(_ host: ExampleHost) -> (Engine, PlanProbe) {
    let probe = PlanProbe()
    var engine = host.engine
    engine.planner.probe = probe
    return (engine, probe)
  }

  @Test(arguments: ["centos6-amd", "intel-grub2-systemd", "numa-pinned", "gpu-passthrough"])
  func applyPlansTwiceWhenNothingMoved(_ name: String) throws {
    let host = try ExampleHost(name)
    let (engine, probe) = Self.engine(host)
    let shown = try engine.planToApply(specText: host.specText, specFile: "host.yaml")
    #expect(shown.hasChanges && probe.fullPlans == 1)
    let report = try engine.apply(shown)
    #expect(probe.fullPlans == 2)
    // What was applied is what a full plan under the lock would have applied.
    #expect(PlanDocument(report.plan).changes == PlanDocument(shown).changes)
    // Offline, only what the host itself regenerates is left.
    let again = try host.plan()
    #expect(!again.hasChanges || again.onlyRegenerationPending)
  }

  @Test func aFileChangedAfterThePlanShownIsPlannedAgainInFullAndRefused() throws {
    let host = try ExampleHost("centos6-amd")
    let (engine, probe) = Self.engine(host)
    let shown = try engine.planToApply(specText: host.specText, specFile: "host.yaml")
    let text = try String(contentsOfFile: host.root.path + "/etc/ksmtuned.conf", encoding: .utf8)
    try host.root.write("/etc/ksmtuned.conf", text + "# changed by someone else\n")
    let error = #expect(throws: EngineError.self) { try engine.apply(shown) }
    #expect(error?.description.contains("/etc/ksmtuned.conf changed") == true, "\(String(describing: error))")
    #expect(probe.fullPlans == 2)
  }

  @Test func aConvergedHostWithoutATraceKeepsOneFromThePlanShown() throws {
    let host = try ExampleHost("converged")
    let (engine, probe) = Self.engine(host)
    let shown = try engine.planToApply(specText: host.specText, specFile: "host.yaml")
    #expect(!shown.hasChanges)
    _ = try engine.apply(shown)
    #expect(probe.fullPlans == 1)
    var fast = engine
    fast.planner.probe = PlanProbe()
    #expect(try fast.plan(specText: host.specText, specFile: "host.yaml").readPath.name == "converged")
    #expect(fast.planner.probe?.fullPlans == 0)
  }
}
