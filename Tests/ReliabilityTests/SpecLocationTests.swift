import Engine
import Testing

/// `SpecParser.location(of:in:file:)`, which places a problem found while planning at its key.
@Suite(.serialized) final class SpecLocationTests {
  private let text = "iommu: on\nksm:\n  settings:\n    KSM_NPAGES_MIN: 2000\nsysctl:\n  kernel.numa_balancing: 1\n"

  @Test func findsNestedAndDottedKeys() {
    #expect(SpecParser.location(of: "ksm.settings", in: text, file: "h.yaml")?.description == "h.yaml:3:3")
    #expect(
      SpecParser.location(of: "ksm.settings.KSM_NPAGES_MIN", in: text, file: "h.yaml")?.description == "h.yaml:4:5")
    #expect(
      SpecParser.location(of: "sysctl.kernel.numa_balancing", in: text, file: "h.yaml")?.description == "h.yaml:6:3")
  }

  @Test func aKeyTheTextDoesNotHoldHasNoLocation() {
    #expect(SpecParser.location(of: "ksm.tuner", in: text, file: "h.yaml") == nil)
    #expect(SpecParser.location(of: "iommu", in: "iommu: [", file: "h.yaml") == nil)
  }
}
