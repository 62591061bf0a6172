import Foundation
import RootFS
import TestSupport
import Testing

@testable import Engine

/// The plan of `sysctl:` on the sysctl oracle's layouts:
/// one address per file, nothing planned or written outside /etc, exclusion lines kept.
@Suite struct SysctlPlanTests {
  static let header = "# Kernel settings written by virthost (sysctl.d(5)); the last assignment of a key wins.\n"

  /// The oracle's layout `name` on a root that is a systemd host (`/sbin/init` links to systemd).
  static func systemdRoot(_ name: String?) throws -> FixtureRoot {
    let root = try FixtureRoot()
    if let name { try SysctlOracleCase.load(name).build(in: root) }
    try FileManager.default.createDirectory(atPath: root.path + "/sbin", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/sbin/init", withDestinationPath: "/lib/systemd/systemd")
    return root
  }

  static func plan(_ root: FixtureRoot, _ spec: String) throws -> Plan {
    try Planner(root: root.host).plan(specText: spec, specFile: "host.yaml")
  }

  static func fileChanges(_ plan: Plan) -> [(address: String, actions: [Action], files: [String])] {
    plan.changes.filter { $0.address.kind == .file }.map { ($0.address.description, $0.actions, $0.files.map(\.path)) }
  }

  @Test func sysctlPlan_oneAddressPerFile_neverAPackageFile() throws {
    let root = try Self.systemdRoot("debian12-stock")
    let plan = try Self.plan(root, "sysctl:\n  fs.protected_regular: 1\n  kernel.pid_max: 65536\n")
    #expect(plan.diagnostics.filter { $0.severity == .error }.isEmpty)
    let files = Self.fileChanges(plan)
    #expect(
      files.map(\.address) == [#"file["/etc/sysctl.d/90-virthost.conf"]"#, #"file["/etc/sysctl.d/zz-virthost.conf"]"#])
    #expect(files.map(\.actions) == [[.create], [.create]])
    #expect(files.map(\.files) == [["/etc/sysctl.d/90-virthost.conf"], ["/etc/sysctl.d/zz-virthost.conf"]])
    let late = try #require(plan.changes.first { $0.address.name == "/etc/sysctl.d/zz-virthost.conf" })
    #expect(late.before == "fs.protected_regular=2")
    #expect(late.after == "fs.protected_regular=1")
    #expect(
      late.reason
        == "sysctl keeps fs.protected_regular across reboots (fs.protected_regular is set by "
        + "/usr/lib/sysctl.d/99-protect-links.conf (package file, read after 90-virthost.conf): written to "
        + "/etc/sysctl.d/zz-virthost.conf, read after it; /usr/lib/sysctl.d/99-protect-links.conf is left as it is)")
    #expect(late.files.first?.after == Data((Self.header + "fs.protected_regular = 1\n").utf8))
  }

  @Test func sysctlPlan_keyInARuntimeFile_isWrittenUnderEtc() throws {
    let root = try Self.systemdRoot("run-masks-vendor")
    try root.write("/run/sysctl.d/95-tuned.conf", "vm.swappiness = 30\n")
    let plan = try Self.plan(root, "sysctl:\n  vm.swappiness: 10\n  kernel.numa_balancing: 0\n")
    #expect(
      Self.fileChanges(plan).map(\.files) == [["/etc/sysctl.d/90-virthost.conf"], ["/etc/sysctl.d/zz-virthost.conf"]])
  }

  @Test func sysctlPlan_sysctlConfWithoutTheLink_doesNotCountOnASystemdHost() throws {
    let root = try Self.systemdRoot("sysctl-conf-unlinked")
    let plan = try Self.plan(root, "sysctl:\n  vm.swappiness: 10\n")
    #expect(Self.fileChanges(plan).map(\.files) == [["/etc/sysctl.d/90-virthost.conf"]])
    #expect(Self.fileChanges(plan).map(\.actions) == [[.create]])
  }

  @Test func sysctlPlan_fileWithAnExclusionLine_keepsTheLine() throws {
    let root = try Self.systemdRoot(nil)
    try SysctlOracleCase.Layout(root: root).put(
      "debian12-packages/systemd-man-sysctl.d.5-example4/etc/sysctl.d/20-rp_filter.conf",
      "/etc/sysctl.d/95-rp_filter.conf")
    let plan = try Self.plan(root, "sysctl:\n  net.ipv4.conf.hub0.rp_filter: 0\n")
    #expect(plan.diagnostics.filter { $0.severity == .error }.map(\.summary) == [])
    let change = try #require(plan.changes.first { $0.address.kind == .file })
    #expect(change.address.name == "/etc/sysctl.d/95-rp_filter.conf")
    #expect(
      change.files.first?.after
        == Data(
          "net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\nnet.ipv4.conf.hub0.rp_filter = 0\n"
            .utf8))
  }

  @Test func sysctlPlan_appliedTwice_secondPlanIsEmpty() throws {
    let root = try Self.systemdRoot("etc-90-loses-to-vendor-99")
    let spec = "sysctl:\n  fs.protected_regular: 1\n  kernel.pid_max: 65536\n"
    let engine = Engine(planner: Planner(root: root.host))
    _ = try engine.apply(try engine.plan(specText: spec, specFile: "host.yaml"))
    #expect(try root.text("/etc/sysctl.d/90-virthost.conf") == "kernel.pid_max = 65536\n")
    #expect(try root.text("/etc/sysctl.d/zz-virthost.conf") == Self.header + "fs.protected_regular = 1\n")
    #expect(Self.fileChanges(try Self.plan(root, spec)).map(\.actions) == [[.noop]])
  }

  @Test func applyRefusesAPlanThatWritesASysctlFileOutsideEtc() throws {
    let root = try Self.systemdRoot("debian12-stock")
    let before = try root.snapshot()
    var change = ResourceChange(
      .init(.file, "/usr/lib/sysctl.d/99-protect-links.conf"), actions: [.update], before: nil, after: nil, reason: "",
      origin: "sysctl")
    change.operations = [
      .writeFile(
        FileOperation(
          path: "/usr/lib/sysctl.d/99-protect-links.conf",
          before: try root.bytes("/usr/lib/sysctl.d/99-protect-links.conf"),
          after: Data("fs.protected_regular = 0\n".utf8)))
    ]
    let plan = Plan(
      root: root.path, specFile: "host.yaml", specText: "", changes: [change], diagnostics: [], observations: [],
      regeneration: nil)
    let error = #expect(throws: EngineError.self) {
      try Applier(host: root.host, runsCommands: false).apply(plan) { _ in }
    }
    #expect(
      error?.description
        == "/usr/lib/sysctl.d/99-protect-links.conf: is in /usr/lib/sysctl.d: virthost never writes sysctl files "
        + "outside /etc (a package's file is reverted by its next upgrade, /run is gone at reboot); nothing written")
    #expect(try root.snapshot() == before)
  }
}
