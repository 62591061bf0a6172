import Engine
import Foundation
import HostFacts
import TestSupport
import Testing

/// Facts, plan and apply give one verdict on KVM (``KVMAvailability``).
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

  /// Apply re-plans through the same path: it applies what the plan shows, with the warning.
  @Test func applyAgreesWithThePlanOnKVMWithoutTheCPUFlags() throws {
    let root = try FixtureRoot(Self.fixture)
    try root.write("/dev/kvm", "")
    let folder = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    try Data("iommu: on\n".utf8).write(to: URL(fileURLWithPath: folder + "/host.yaml"))
    let run = try ProgramRun.virthost(["apply", "host.yaml", "--root", root.path], in: folder)
    // 3: written, grub.cfg's regeneration left to the host (an offline root).
    #expect(run.status == 3, "\(run.transcript)")
    #expect(run.output.contains("warning: the CPU shows neither svm nor vmx, yet /dev/kvm exists"))
    #expect(try root.text("/etc/default/grub").contains("intel_iommu=on"))
    let without = try FixtureRoot(Self.fixture)
    let refused = try ProgramRun.virthost(["apply", "host.yaml", "--root", without.path], in: folder)
    #expect(refused.status == 1)
    #expect(refused.output.contains("error: the CPU has no hardware virtualization (no svm or vmx flag)"))
    #expect(try without.text("/etc/default/grub") == (try FixtureRoot(Self.fixture).text("/etc/default/grub")))
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
