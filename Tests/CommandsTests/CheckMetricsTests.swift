import Foundation
import TestSupport
import Testing

/// `virthost check --metrics-file`: the verdict in Prometheus's text format, read back by
/// Prometheus's own parser, for the seed host before and after its apply, and for a desired
/// state that cannot be read (status 3 alone); the file is replaced whole.
@Suite struct CheckMetricsTests {
  private func check(_ root: FixtureRoot, _ spec: String, _ metrics: String) throws -> ProgramRun {
    try ProgramRun.virthost(["check", spec, "--root", root.path, "--format", "line", "--metrics-file", metrics])
  }

  @Test func theSeedsVerdictIsInTheMetricsBeforeAndAfterItsApply() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let spec = CheckCommandTests.example("centos6-amd")
    let folder = root.path + "/textfile"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let metrics = folder + "/virthost.prom"
    #expect(try check(root, spec, metrics).status == 2)
    let drifted = try PrometheusText.parse(metrics)
    #expect(drifted.samples["virthost_check_status"] == 2)
    #expect(drifted.samples["virthost_reboot_pending"] == 0)
    #expect(drifted.samples["virthost_check_item{id=\"iommu/kernel_args:all\",verdict=\"drifted\"}"] == 1)
    #expect(drifted.types["virthost_check_items"] == "gauge")
    #expect(try ProgramRun.virthost(["apply", spec, "--root", root.path]).status == 0)
    #expect(try check(root, spec, metrics).status == 1)
    let pending = try PrometheusText.parse(metrics)
    #expect(pending.samples["virthost_check_status"] == 1)
    #expect(pending.samples["virthost_reboot_pending"] == 1)
    #expect(pending.samples["virthost_check_items{verdict=\"pending_reboot\"}"] == 1)
    #expect(pending.samples["virthost_check_items{verdict=\"drifted\"}"] == 0)
    #expect(pending.samples["virthost_check_item{id=\"iommu/kernel_args:all\",verdict=\"pending_reboot\"}"] == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["virthost.prom"], "no temporary left")
  }

  @Test func aDesiredStateThatCannotBeReadWritesStatusUnknownAlone() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try root.write("/bad.yaml", "iommu: [\n")
    let metrics = root.path + "/virthost.prom"
    #expect(try check(root, root.path + "/bad.yaml", metrics).status == 3)
    let parsed = try PrometheusText.parse(metrics)
    #expect(parsed.samples == ["virthost_check_status": 3])
  }
}
