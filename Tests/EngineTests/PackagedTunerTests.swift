import DaemonFiles
import Foundation
import TestSupport
import Testing

@testable import Engine

/// `ksm.tuner: bundled` on a host where the virthost package (scripts/package) installed
/// `/usr/sbin/virthost-ksmtuned` and its unit or init script: the
/// packaged binary runs, nothing is copied to `/usr/local/sbin`.
@Suite struct PackagedTunerTests {
  static let spec = "ksm:\n  enabled: true\n  tuner: bundled\n"

  /// The example's root with the files the package installs: the binary (the test
  /// stand-in) and, for systemd, the unit as `scripts/package` renders it.
  func packagedHost(_ name: String, unit: String?) throws -> ExampleHost {
    let host = try ExampleHost(name)
    try FileManager.default.createDirectory(
      at: host.root.url("/usr/sbin"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: ExampleHost.tuner, toPath: host.root.path + "/usr/sbin/virthost-ksmtuned")
    if let unit { try host.root.write(unit, try DaemonFiles.systemdUnit(binaryPath: "/usr/sbin/virthost-ksmtuned")) }
    return host
  }

  func engine(_ host: ExampleHost, tuner: String?) -> Engine {
    Engine(planner: Planner(root: host.root.host, bundledTuner: tuner), lockWait: .milliseconds(200))
  }

  @Test func onSystemdThePackagesUnitIsEnabledAndNothingIsCopied() throws {
    let systemd = try packagedHost(
      "intel-grub2-systemd", unit: "/usr/lib/systemd/system/virthost-ksmtuned.service")
    // No tuner next to virthost: the packaged one serves, so no missing-bundled-tuner error.
    let engine = engine(systemd, tuner: nil)
    let plan = try engine.plan(specText: Self.spec, specFile: "host.yaml")
    #expect(plan.diagnostics.filter { $0.severity == .error }.isEmpty)
    #expect(
      plan.pendingChanges.map(\.address.description) == [
        #"service["virthost-ksmtuned"]"#, #"service["ksmtuned"]"#,
      ])
    let binary = plan.changes.first { $0.address == ResourceAddress(.file, "/usr/sbin/virthost-ksmtuned") }
    #expect(binary?.actions == [.noop])
    #expect(binary?.after == "installed by the virthost package")
    _ = try engine.apply(plan)
    #expect(!FileManager.default.fileExists(atPath: systemd.root.path + "/usr/local/sbin/virthost-ksmtuned"))
    #expect(
      !FileManager.default.fileExists(atPath: systemd.root.path + "/etc/systemd/system/virthost-ksmtuned.service"))
    let wants = systemd.root.path + "/etc/systemd/system/multi-user.target.wants/virthost-ksmtuned.service"
    #expect(
      try FileManager.default.destinationOfSymbolicLink(atPath: wants)
        == "/usr/lib/systemd/system/virthost-ksmtuned.service")
    #expect(!(try engine.plan(specText: Self.spec, specFile: "host.yaml").hasChanges))
  }

  @Test func aUnitLeftByAnApplyBeforeThePackageIsRewrittenToRunThePackagedBinary() throws {
    let host = try packagedHost("intel-grub2-systemd", unit: "/usr/lib/systemd/system/virthost-ksmtuned.service")
    let override = "/etc/systemd/system/virthost-ksmtuned.service"
    try host.root.write(override, try DaemonFiles.systemdUnit(binaryPath: DaemonFiles.binaryPath))
    let engine = engine(host, tuner: ExampleHost.tuner)
    let plan = try engine.plan(specText: Self.spec, specFile: "host.yaml")
    let unit = plan.changes.first { $0.address == ResourceAddress(.file, override) }
    #expect(unit?.actions == [.update])
    #expect(!plan.changes.contains { $0.address == ResourceAddress(.file, DaemonFiles.binaryPath) })
    _ = try engine.apply(plan)
    #expect(try host.root.text(override).contains("\nExecStart=/usr/sbin/virthost-ksmtuned --foreground "))
    #expect(!FileManager.default.fileExists(atPath: host.root.path + DaemonFiles.binaryPath))
  }

  @Test func onSysVTheInitScriptRunsThePackagedBinary() throws {
    let host = try packagedHost("centos6-amd", unit: nil)
    let engine = engine(host, tuner: ExampleHost.tuner)
    _ = try engine.apply(try engine.plan(specText: Self.spec, specFile: "host.yaml"))
    #expect(
      try host.root.text("/etc/rc.d/init.d/virthost-ksmtuned")
        == DaemonFiles.sysvInitScript(binaryPath: "/usr/sbin/virthost-ksmtuned"))
    #expect(!FileManager.default.fileExists(atPath: host.root.path + DaemonFiles.binaryPath))
  }

  @Test func installingThePackageBetweenPlanAndApplyMakesTheSavedPlanStale() throws {
    let host = try ExampleHost("intel-grub2-systemd")
    let engine = engine(host, tuner: ExampleHost.tuner)
    let saved = PlanDocument(try engine.plan(specText: Self.spec, specFile: "host.yaml"))
    try FileManager.default.createDirectory(at: host.root.url("/usr/sbin"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: ExampleHost.tuner, toPath: host.root.path + "/usr/sbin/virthost-ksmtuned")
    let now = PlanDocument(try engine.plan(specText: Self.spec, specFile: "host.yaml"))
    #expect(
      Engine.differences(saved: saved, current: now) == [
        "file /usr/local/sbin/virthost-ksmtuned is no longer read",
        "file /usr/sbin/virthost-ksmtuned is read now but was not then",
      ])
  }
}
