import Foundation
import TestSupport
import Testing

@testable import Engine

/// Image-mode hosts (bootc, ostree): in a container build the arguments go to the image's
/// `/usr/lib/bootc/kargs.d`; a root that boots ostree deployments is refused, and its
/// entries are never edited in place.
@Suite struct ImageModePlanTests {
  static let spec = "kernel:\n  args:\n    present: [amd_iommu=on, iommu=pt, hugepagesz=1G]\n"

  /// An image root as a Containerfile's `RUN` sees it: `/usr/lib/bootc` with one file of
  /// the image's own, no boot-loader configuration.
  static func imageRoot() throws -> FixtureRoot {
    let root = try FixtureRoot()
    try FileManager.default.createDirectory(
      atPath: root.path + "/usr/lib/bootc/kargs.d", withIntermediateDirectories: true)
    try root.write(
      "/usr/lib/bootc/kargs.d/00-console.toml",
      "kargs = [\"console=ttyS0,115200n8\"]\nmatch-architectures = [\"x86_64\"]\n")
    return root
  }

  static func plan(_ root: FixtureRoot, _ spec: String = spec) throws -> Plan {
    try Planner(root: root.host).plan(specText: spec, specFile: "host.yaml")
  }

  @Test func anImageBuildGetsVirthostsKargsFilesPerArchitecture() throws {
    let root = try Self.imageRoot()
    let plan = try Self.plan(root)
    #expect(!plan.hasErrors, "\(plan.diagnostics.map(\.summary))")
    let files = Dictionary(
      uniqueKeysWithValues: plan.fileOperations.map { ($0.path, $0.after.map { String(decoding: $0, as: UTF8.self) }) })
    #expect(
      files == [
        "/usr/lib/bootc/kargs.d/50-virthost.toml":
          "# Written by virthost from host.yaml; edits are replaced.\nkargs = [\"iommu=pt\",\"hugepagesz=1G\"]\n",
        "/usr/lib/bootc/kargs.d/50-virthost-x86_64.toml":
          "# Written by virthost from host.yaml; edits are replaced.\nkargs = [\"amd_iommu=on\"]\nmatch-architectures = [\"x86_64\"]\n",
      ])
    _ = try BootLoaderFamilyPlanTests.engine(root).apply(plan)
    #expect(try !Self.plan(root).hasChanges)
  }

  @Test func anArgumentTheImageSetsOtherwiseIsRefusedNamingItsFile() throws {
    let root = try Self.imageRoot()
    try root.write("/usr/lib/bootc/kargs.d/10-iommu.toml", "kargs = [\"amd_iommu=off\"]\n")
    let before = try root.snapshot()
    let plan = try Self.plan(root)
    #expect(
      plan.diagnostics.filter { $0.code == .imageModeHost }.map(\.summary) == [
        "/usr/lib/bootc/kargs.d/10-iommu.toml (the image's) sets amd_iommu=off, which amd_iommu=on would contradict: "
          + "change that file in the image; virthost only adds its own"
      ])
    #expect(plan.hasErrors)
    #expect(plan.fileOperations.isEmpty)
    #expect(try root.snapshot() == before)
  }

  @Test(arguments: ["/run/ostree-booted", "/ostree/repo/"])
  func aRootThatBootsOstreeDeploymentsIsRefused(_ marker: String) throws {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/bls-rhel9/root")
    if marker.hasSuffix("/") {
      try FileManager.default.createDirectory(atPath: root.path + marker, withIntermediateDirectories: true)
    } else {
      try FileManager.default.createDirectory(atPath: root.path + "/run", withIntermediateDirectories: true)
      try root.write(marker, "")
    }
    let plan = try Self.plan(root)
    let refusals = plan.diagnostics.filter { $0.code == .imageModeHost }
    #expect(refusals.count == 1)
    #expect(refusals.first?.summary.hasPrefix("this host boots ostree deployments (") == true)
    #expect(plan.fileOperations.isEmpty)
  }
}
