import Engine
import Foundation
import HostFacts
import TestSupport
import Testing

/// Issue 18, section 2: facts, plan and apply give one verdict on KVM (``KVMAvailability``).
@Suite struct KVMVerdictTests {
  static let fixture = "Tests/HostFactsTests/Fixtures/no-virtualization/root"

  static func plan(_ root: FixtureRoot, _ spec: String) throws -> Plan {
    try Planner(root: root.host).plan(specText: spec, specFile: "host.yaml")
  }

  /// No svm or vmx, but a working `/dev/kvm` (nested, PVM): facts warn, and a plan of
  /// `iommu: on` warns the same way and plans its change.
  @Test func kvmWithoutTheCPUFlagsIsAWarningInFactsAndInThePlan() throws {
    let root = try FixtureRoot(Self.fixture)
    try root.write("/dev/kvm", "")
    let facts = HostFacts.gather(root: root.host)
    #expect(facts.kvmAvailability == .withoutFlags)
    #expect(facts.checks.first?.level == .warn)
    let plan = try Self.plan(root, "iommu: on\n")
    #expect(!plan.hasErrors)
    let kvm = plan.diagnostics.filter { $0.code == .noHardwareVirtualization }
    #expect(kvm.map(\.severity) == [.warning])
    #expect(kvm.first?.summary.hasPrefix("the CPU shows neither svm nor vmx, yet /dev/kvm exists") == true)
    #expect(plan.changes.map(\.address.description) == [#"kernel_args["all"]"#])
    #expect(plan.hasChanges)
  }

  /// No flag and no `/dev/kvm`: facts fail, and the plan refuses the keys that exist for
  /// KVM guests, each at its own key.
  @Test func noKVMIsAnErrorOnTheKeysForKVMGuests() throws {
    let root = try FixtureRoot(Self.fixture)
    #expect(HostFacts.gather(root: root.host).checks.first?.level == .fail)
    let plan = try Self.plan(root, "iommu: on\nsysctl:\n  vm.swappiness: 10\n")
    #expect(plan.diagnostics.filter { $0.severity == .error }.map(\.keyPath) == ["iommu"])
    #expect(plan.hasErrors)
  }

  /// A spec that does not need KVM itself (sysctl here) proceeds with the warning.
  @Test func aSpecThatDoesNotNeedKVMProceedsWithTheWarning() throws {
    let root = try FixtureRoot(Self.fixture)
    let plan = try Self.plan(root, "sysctl:\n  vm.swappiness: 10\n")
    #expect(!plan.hasErrors)
    #expect(plan.diagnostics.map(\.severity) == [.warning])
    #expect(plan.diagnostics.first?.code == .noHardwareVirtualization)
    #expect(plan.hasChanges)
  }
}
