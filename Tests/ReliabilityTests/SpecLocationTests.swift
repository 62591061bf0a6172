import Engine
import XCTest

/// `SpecParser.location(of:in:file:)`, which places a problem found while planning at its key.
final class SpecLocationTests: XCTestCase {
  private let text = "iommu: on\nksm:\n  settings:\n    KSM_NPAGES_MIN: 2000\nsysctl:\n  kernel.numa_balancing: 1\n"

  func testFindsNestedAndDottedKeys() {
    XCTAssertEqual(SpecParser.location(of: "ksm.settings", in: text, file: "h.yaml")?.description, "h.yaml:3:3")
    XCTAssertEqual(
      SpecParser.location(of: "ksm.settings.KSM_NPAGES_MIN", in: text, file: "h.yaml")?.description, "h.yaml:4:5")
    XCTAssertEqual(
      SpecParser.location(of: "sysctl.kernel.numa_balancing", in: text, file: "h.yaml")?.description, "h.yaml:6:3")
  }

  func testAKeyTheTextDoesNotHoldHasNoLocation() {
    XCTAssertNil(SpecParser.location(of: "ksm.tuner", in: text, file: "h.yaml"))
    XCTAssertNil(SpecParser.location(of: "iommu", in: "iommu: [", file: "h.yaml"))
  }
}
