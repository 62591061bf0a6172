import Engine
import Testing

/// `HostSpec.location(of:)`: where each key path stands, recorded by the one parse of the file,
/// which places a problem found while planning at its key.
@Suite struct SpecLocationTests {
  private let text =
    "iommu: on\nksm:\n  settings:\n    KSM_NPAGES_MIN: 2000\nsysctl:\n  kernel.numa_balancing: 1\n"
    + "passthrough:\n  devices: [\"0000:01:00.0\", \"10de:10f0\"]\n"

  @Test func findsNestedAndDottedKeysAndListItems() throws {
    let spec = try SpecParser.parse(text, file: "h.yaml")
    #expect(spec.location(of: "ksm.settings")?.description == "h.yaml:3:3")
    #expect(spec.location(of: "ksm.settings.KSM_NPAGES_MIN")?.description == "h.yaml:4:5")
    #expect(spec.location(of: "sysctl.kernel.numa_balancing")?.description == "h.yaml:6:3")
    #expect(spec.location(of: "passthrough.devices.10de:10f0")?.description == "h.yaml:8:29")
  }

  @Test func aKeyTheTextDoesNotHoldHasNoLocation() throws {
    let spec = try SpecParser.parse(text, file: "h.yaml")
    #expect(spec.location(of: "ksm.tuner") == nil)
    #expect(spec.location(of: "ksm.settings.KSM_NPAGES") == nil)
  }
}
