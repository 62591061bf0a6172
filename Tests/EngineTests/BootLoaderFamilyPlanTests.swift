import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Plans on the boot-loader family fixtures of `Tests/BootLoaderTests/Fixtures` (issue 16):
/// what the plan says, in its diagnostics and its renderers, beyond the planned bytes.
@Suite struct BootLoaderFamilyPlanTests {
  static let fixtures = "Tests/BootLoaderTests/Fixtures"

  /// Plans `spec` on a copy of the fixture `family`'s root.
  static func plan(_ family: String, _ spec: String, edit: ((FixtureRoot) throws -> Void)? = nil) throws -> (
    Plan, FixtureRoot
  ) {
    let root = try FixtureRoot("\(fixtures)/\(family)/root")
    try edit?(root)
    let planner = Planner(root: root.host)
    return (try planner.plan(specText: spec, specFile: "host.yaml"), root)
  }

  // Case 7: grubby's semantics remove the admin's other values of a requested key; the
  // plan shows each one on a line of its own, as a warning every renderer shows.
  @Test func everyValueRemovedWithoutBeingAskedIsAWarningOfItsOwn() throws {
    let (plan, _) = try Self.plan(
      "legacy-multi", "kernel:\n  args:\n    present: [amd_iommu=on, intel_iommu=on]\n"
    ) { root in
      let file = "/boot/grub/grub.conf"
      var text = try root.text(file)
      text = text.replacingOccurrences(
        of: "console=tty0 console=ttyS0,115200 rhgb quiet",
        with:
          "console=tty0 console=ttyS0,115200 rhgb quiet amd_iommu=off amd_iommu=fullflush intel_iommu=on intel_iommu=igfx_off"
      )
      try root.write(file, text)
    }
    let removals = plan.diagnostics.filter { $0.code == .removedKernelArgumentValue }
    let entry = "in /boot/grub/grub.conf, entry 'CentOS (2.6.32-754.35.1.el6.x86_64)'"
    #expect(
      removals.map(\.summary) == [
        "- kernel argument amd_iommu=off (replaced by amd_iommu=on) \(entry)",
        "- kernel argument amd_iommu=fullflush (replaced by amd_iommu=on) \(entry)",
        "- kernel argument intel_iommu=igfx_off (replaced by intel_iommu=on) \(entry)",
      ])
    #expect(removals.allSatisfy { $0.severity == .warning })
    let text = PlanTextRenderer().render(plan)
    let markdown = PlanMarkdownRenderer().render(plan)
    let json = PlanDocument(plan).json()
    for removal in removals {
      #expect(text.contains("Warning: " + removal.summary + "\n"))
      #expect(markdown.contains(removal.summary))
      #expect(json.contains(removal.summary))
    }
  }

  @Test func aRequestThatRemovesNothingElseWarnsOfNothing() throws {
    let (plan, _) = try Self.plan("legacy-multi", "kernel:\n  args:\n    present: [amd_iommu=on]\n")
    #expect(plan.hasChanges)
    #expect(!plan.diagnostics.contains { $0.code == .removedKernelArgumentValue })
  }
}

extension BootLoaderFamilyPlanTests {
  // Case 4: on a Xen dom0 the argument goes on the module line, and the plan says that the
  // IOMMU there is the hypervisor's.
  @Test func xenDom0IOMMUArgumentIsReportedAsTheHypervisorsBusiness() throws {
    let (plan, _) = try Self.plan("xen-dom0-legacy", "kernel:\n  args:\n    present: [amd_iommu=on]\n")
    #expect(
      plan.diagnostics.filter { $0.code == .xenDom0Argument }.map(\.summary) == [
        "amd_iommu=on on the dom0 of 'CentOS (2.6.18-419.el5xen)' (/boot/grub/grub.conf) is ineffective: under Xen the IOMMU is the hypervisor's; set iommu= on its line (kernel /xen.gz-2.6.18-419.el5)"
      ])
  }
}
