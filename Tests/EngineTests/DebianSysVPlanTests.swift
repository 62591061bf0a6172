import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Engine

/// Issue 34: services on a Debian SysV root whose update-rc.d orders scripts with insserv, as
/// sysv-rc boots them (startpar starts the targets of insserv's `.depend.start`): the rename
/// of the links, then `insserv NAME` after them on the live host, pending on another root.
@Suite struct DebianSysVPlanTests {
  /// ksm and ksmtuned linked K01ksmtuned/K02ksm, `.depend.*` as the oracle's root had them,
  /// insserv configured; `insserv` is `script` (a stand-in: the real one is the oracle's).
  func root(insserv script: String = "#!/bin/sh\n") throws -> OracleRoot {
    let root = try OracleRoot(.debianSysV, ["etc/init.d/ksm", "etc/init.d/ksmtuned"], constructed: true)
    try root.root.configureInsserv(script: script)
    let initial = try #require(try OracleCase("insserv", "ksm-ksmtuned-virthost").steps.first)
    for (path, text) in initial.links { try root.root.link(path, to: text) }
    for (file, lines) in initial.depend {
      try root.root.write("/etc/init.d/" + file, lines.joined(separator: "\n") + "\n")
    }
    return root
  }

  func engine(_ root: OracleRoot, runsCommands: Bool = false) -> Engine {
    Engine(planner: Planner(root: root.root.host), lockWait: .milliseconds(200), runsCommands: runsCommands)
  }

  @Test func anotherRootGetsTheRenameAndAPendingInsservNoteThatCheckCountsAsPending() throws {
    let root = try root()
    let spec = "services:\n  ksm: enabled\n"
    let plan = try engine(root).plan(specText: spec, specFile: "host.yaml")
    let change = try #require(plan.changes.first { $0.address == ResourceAddress(.service, "ksm") })
    #expect(change.actions == [.enable])
    #expect(
      change.links.map(\.path).filter { $0.hasPrefix("/etc/rc2.d/") } == ["/etc/rc2.d/K02ksm", "/etc/rc2.d/S02ksm"])
    #expect(!change.operations.contains { if case .runAfterLinks = $0 { true } else { false } })
    let notes = plan.diagnostics.filter { $0.code == .pendingInsserv }
    #expect(notes.map(\.summary) == ["ksm: pending /sbin/insserv -f ksm"])
    #expect(Diagnostic.Code.pendingInsserv.contribution == .pending)
    _ = try engine(root).apply(plan)
    #expect(root.links["/etc/rc2.d/S02ksm"] == "../init.d/ksm")
    // The links are there, .depend.start still lacks ksm: nothing more this root can do, still pending.
    let after = try engine(root).plan(specText: spec, specFile: "host.yaml")
    #expect(!after.hasChanges)
    #expect(after.diagnostics.filter { $0.code == .pendingInsserv }.map(\.summary) == notes.map(\.summary))
  }

  @Test func insservRunsAfterTheLinksOfItsChangeAndSeesThemRenamed() throws {
    // The stand-in records the rc2.d it finds and its arguments, under its own root.
    let root = try root(
      insserv:
        "#!/bin/sh\nr=$(dirname \"$0\")/..\nls \"$r/etc/rc2.d\" > \"$r/insserv-saw\"\necho \"$@\" >> \"$r/insserv-saw\"\n"
    )
    let editor = try ServiceEditor(root: root.root.host)
    let enablement = try editor.enablement("ksm", enabled: true)
    var change = ResourceChange(
      ResourceAddress(.service, "ksm"), actions: [.enable], before: "disabled", after: "enabled", reason: "",
      origin: "services.ksm")
    change.operations =
      [.setLinks(service: "ksm", enabled: true, links: enablement.links)]
      + enablement.programs.map { .runAfterLinks($0) }
    let plan = Plan(
      root: root.path, specFile: "host.yaml", specText: "", changes: [change], diagnostics: [], observations: [],
      regeneration: nil)
    let report = try Applier(host: root.root.host, runsCommands: true).apply(plan) { _ in }
    #expect(report.applied == ["enable service ksm", "run /sbin/insserv -f ksm"])
    #expect(try root.root.text("/insserv-saw") == "K01ksmtuned\nS02ksm\n-f ksm\n")
    #expect(PlanDocument.Operation(.runAfterLinks(enablement.programs[0])).kind == .runAfterLinks)
    #expect(Engine.pendingHostCommands(plan) == enablement.programs)
  }

  @Test func rollbackAfterInsservRenumberedGivesEachScriptItsLetterBackAndRunsInsservAgain() throws {
    let root = try root()
    let oracle = try OracleCase("insserv", "ksm-ksmtuned-virthost")
    _ = try engine(root).apply(try engine(root).plan(specText: "services:\n  ksm: enabled\n", specFile: "host.yaml"))
    // The host then ran insserv -f ksm: the oracle's links after it (S02ksm became S01ksm).
    let renumbered = oracle.steps[2].links
    for path in root.links.keys { try FileManager.default.removeItem(atPath: root.path + path) }
    for (path, text) in renumbered { try root.root.link(path, to: text) }
    let rollback = try engine(root).rollback()
    #expect(rollback.pendingCommands == [HostCommand(["/sbin/insserv", "-f", "ksm"], role: .afterWrite)])
    var expected = renumbered
    for level in 2...5 {
      expected["/etc/rc\(level).d/S01ksm"] = nil
      expected["/etc/rc\(level).d/K01ksm"] = "../init.d/ksm"
    }
    #expect(root.links == expected)
  }

  @Test func theBundledTunerInstalledByThePlanIsEnabledByInsservAsUpdateRcDDefaultsDoes() throws {
    let root = try root()
    let engine = Engine(
      planner: Planner(root: root.root.host, bundledTuner: ExampleHost.tuner), lockWait: .milliseconds(200))
    let spec = "ksm:\n  enabled: true\n  tuner: bundled\n"
    let plan = try engine.plan(specText: spec, specFile: "host.yaml")
    let tuner = try #require(plan.changes.first { $0.address == ResourceAddress(.service, "virthost-ksmtuned") })
    #expect(tuner.operations == [])
    #expect(
      plan.diagnostics.filter { $0.code == .pendingInsserv }.map(\.summary) == [
        "ksm: pending /sbin/insserv -f ksm", "virthost-ksmtuned: pending /sbin/insserv -f virthost-ksmtuned",
      ])
    // Before, the apply failed enabling the new script: it has no links, and insserv numbers them.
    _ = try engine.apply(plan)
    #expect(root.root.host.isFile("/etc/init.d/virthost-ksmtuned"))
    let after = try engine.plan(specText: spec, specFile: "host.yaml")
    #expect(!after.hasChanges)
    #expect(after.diagnostics.filter { $0.code == .pendingInsserv }.count == 2)
  }

  /// A Debian root booted by systemd with insserv configured: enabling a unit that has its own
  /// init script plans its wants links, then the `insserv NAME` update-rc.d runs for the script
  /// (through systemd-sysv-install): pending on another root, as on a SysV root.
  @Test func onASystemdRootTheUnitsOwnScriptGetsInsservAfterTheLinks() throws {
    let root = try OracleRoot(
      .debian, ["ifupdown/lib/systemd/system/networking.service", "ifupdown/etc/init.d/networking"])
    try root.root.configureInsserv()
    let plan = try engine(root).plan(specText: "services:\n  networking: enabled\n", specFile: "host.yaml")
    let change = try #require(plan.changes.first { $0.address == ResourceAddress(.service, "networking") })
    #expect(change.actions == [.enable])
    #expect(
      change.links.map(\.path) == [
        "/etc/systemd/system/multi-user.target.wants/networking.service",
        "/etc/systemd/system/network-online.target.wants/networking.service",
      ])
    #expect(
      plan.diagnostics.filter { $0.code == .pendingInsserv }.map(\.summary) == [
        "networking: pending /sbin/insserv -f networking"
      ])
  }

  /// The same host with an init script that has no unit (`services: {libvirtd: enabled}`,
  /// libvirt-daemon-system-sysv's script alone): systemctl hands it to update-rc.d, so the
  /// plan enables it with `insserv -f libvirtd` alone (update-rc.d's `defaults` there), pending here.
  @Test func onASystemdRootAScriptWithoutAUnitIsEnabledByInsserv() throws {
    let root = try OracleRoot(.debian, ["libvirt-daemon-system-sysv/etc/init.d/libvirtd"])
    try root.root.configureInsserv()
    let plan = try engine(root).plan(specText: "services:\n  libvirtd: enabled\n", specFile: "host.yaml")
    #expect(!plan.hasErrors, "\(plan.diagnostics.map(\.summary))")
    #expect(
      plan.diagnostics.filter { $0.code == .pendingInsserv }.map(\.summary) == [
        "libvirtd: pending /sbin/insserv -f libvirtd"
      ])
    #expect(plan.fileOperations.isEmpty)
  }
}
