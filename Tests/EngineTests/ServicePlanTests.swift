import Foundation
import HostFacts
import RootFS
import TestSupport
import Testing

@testable import Engine

/// Plans and applies of `services:` and `ksm.enabled` on roots built from Debian 12 unit files,
/// compared with what systemctl does.
@Suite struct ServicePlanTests {
  static let ksm = "ksmtuned/lib/systemd/system/ksm.service"

  func planner(_ root: OracleRoot) -> Planner { Planner(root: root.root.host) }

  func plan(_ root: OracleRoot, _ spec: String) throws -> Plan {
    try planner(root).plan(specText: spec, specFile: "host.yaml")
  }

  func apply(_ root: OracleRoot, _ spec: String) throws {
    let engine = Engine(planner: planner(root), lockWait: .milliseconds(200))
    _ = try engine.apply(try engine.plan(specText: spec, specFile: "host.yaml"))
  }

  func serviceErrors(_ plan: Plan) -> [Diagnostic] { plan.diagnostics.filter { $0.severity == .error } }

  @Test func contradictoryDesiresThroughAlsoAreRefusedNamingBothKeys() throws {
    let root = try OracleRoot(.merged, OracleRoot.libvirtUnits)
    let plan = try plan(root, "services:\n  libvirtd: enabled\n  virtlockd: disabled\n")
    let errors = serviceErrors(plan)
    #expect(errors.map(\.code) == [.conflictingServices])
    #expect(
      errors.first?.summary
        == "services.virtlockd: disabled disables virtlockd.socket, which services.libvirtd: enabled enables "
        + "(libvirtd.service has Also=virtlockd.socket; virtlockd.service has Also=virtlockd.socket)")
    #expect(errors.first?.keyPath == "services.virtlockd")
    #expect(errors.first?.address == ResourceAddress(.service, "virtlockd"))
    #expect(plan.changes.filter(\.isChange).isEmpty)
  }

  @Test func theSameDesireThroughAlsoIsAppliedOnceAndThenMatches() throws {
    let root = try OracleRoot(.merged, OracleRoot.libvirtUnits)
    let spec = "services:\n  libvirtd: enabled\n  virtlockd: enabled\n"
    #expect(serviceErrors(try plan(root, spec)).isEmpty)
    try apply(root, spec)
    let enabled = try #require(try OracleCase("systemd", "libvirtd-merged").steps.first)
    #expect(root.links == enabled.links)
    #expect(try plan(root, spec).changes.filter(\.isChange).isEmpty)
  }

  @Test func ksmAndKsmServiceAreOneUnitForTheKsmGuard() throws {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("ksm:\n  enabled: true\nservices:\n  ksm.service: disabled\n", file: "host.yaml")
    }
    #expect(error?.description == "host.yaml:4:3: error: services.ksm.service: is already managed by ksm.enabled")
  }

  @Test func twoKeysForOneUnitWithOppositeStatesAreRefused() throws {
    let root = try OracleRoot(.merged, OracleRoot.libvirtUnits)
    let plan = try plan(root, "services:\n  libvirtd: enabled\n  libvirtd.service: disabled\n")
    #expect(
      serviceErrors(plan).map(\.summary) == [
        "services.libvirtd.service: disabled and services.libvirtd: enabled name one service, libvirtd.service, "
          + "with different states"
      ])
    #expect(plan.changes.filter(\.isChange).isEmpty)
  }

  @Test func ksmDisabledOnAMaskedKsmIsSatisfied() throws {
    let root = try OracleRoot(.merged, [Self.ksm])
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/ksm.service", withDestinationPath: "/dev/null")
    let plan = try plan(root, "ksm:\n  enabled: false\n  tuner: none\n")
    #expect(serviceErrors(plan).isEmpty)
    let ksm = try #require(plan.changes.first { $0.address == ResourceAddress(.service, "ksm") })
    #expect(!ksm.isChange)
    #expect(ksm.before == "masked" && ksm.after == "masked")
  }

  @Test func ksmEnabledOnAMaskedKsmIsAnErrorAtKsmEnabled() throws {
    let root = try OracleRoot(.merged, [Self.ksm])
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/ksm.service", withDestinationPath: "/dev/null")
    let plan = try plan(root, "ksm:\n  enabled: true\n  tuner: none\n")
    let masked = serviceErrors(plan).filter { $0.code == .maskedService }
    #expect(masked.map(\.keyPath) == ["ksm.enabled"])
    #expect(
      masked.first?.detail
        == "masked (/etc/systemd/system/ksm.service -> /dev/null): unmask it (systemctl unmask ksm.service) "
        + "for ksm.enabled: true.")
  }

  @Test func aUnitFileErrorIsPlacedAtTheKeyThatAskedNotAtServices() throws {
    let root = try OracleRoot(.merged, [Self.ksm])
    try root.root.write("/lib/systemd/system/ksm.service", "[Unit]\nDescription=KSM\n[Install\nWantedBy=x\n")
    let errors = serviceErrors(try plan(root, "ksm:\n  enabled: true\n  tuner: none\n"))
    #expect(errors.map(\.keyPath) == ["ksm.enabled"])
    #expect(errors.first?.summary.hasPrefix("/usr/lib/systemd/system/ksm.service:3") == true)
  }

  @Test func disablingAnIndirectUnitShowsItsAlsoUnitsBeforeAndAfter() throws {
    let root = try OracleRoot(.merged, OracleRoot.libvirtUnits)
    try apply(root, "services:\n  virtlockd.socket: enabled\n")
    let plan = try plan(root, "services:\n  virtlockd: disabled\n")
    let change = try #require(plan.changes.first { $0.address == ResourceAddress(.service, "virtlockd") })
    #expect(change.before == "indirect (virtlockd.socket: enabled)")
    #expect(change.after == "indirect (virtlockd.socket: disabled)")
    #expect(change.actions == [.disable])
  }

  @Test func anAlsoUnitThatIsNotInstalledIsAWarningAsInSystemctl() throws {
    let root = try OracleRoot(.merged, ["lib/systemd/system/also-missing.service"], constructed: true)
    let plan = try plan(root, "services:\n  also-missing: enabled\n")
    #expect(serviceErrors(plan).isEmpty)
    #expect(
      plan.diagnostics.filter { $0.code == .alsoUnitMissing }.map(\.summary) == [
        "also-missing.service: Also=not-installed.socket names a unit that is not installed; it is skipped, "
          + "as systemctl does"
      ])
  }

  @Test func thePlanSaysWhichToolsSemanticsServicesFollow() throws {
    let root = try OracleRoot(.merged, [Self.ksm])
    let notes = try plan(root, "services:\n  ksm: enabled\n").diagnostics.filter { $0.code == .serviceSemantics }
    #expect(
      notes.map(\.summary) == [
        "services follow systemctl (systemd, Debian family: /etc/debian_version); units with an init script of the "
          + "same name also get update-rc.d's links (systemd-sysv-install)"
      ])
  }

  /// A unit of the corpus: the oracle case whose first call enables it and whose second disables it.
  struct CorpusUnit: Sendable, CustomTestStringConvertible {
    var unit: String
    var oracle: String
    var layout: OracleRoot.Layout
    var files: [String]
    var constructed = false
    var testDescription: String { unit + " (" + oracle + ")" }
  }

  static let corpus: [CorpusUnit] = [
    CorpusUnit(unit: "ksm", oracle: "ksm-merged", layout: .merged, files: [ksm]),
    CorpusUnit(
      unit: "ksmtuned.service", oracle: "ksmtuned", layout: .merged,
      files: [
        "ksmtuned/lib/systemd/system/ksmtuned.service"
      ]),
    CorpusUnit(unit: "libvirtd.service", oracle: "libvirtd-split", layout: .split, files: OracleRoot.libvirtUnits),
    CorpusUnit(
      unit: "systemd-networkd.service", oracle: "systemd-networkd", layout: .merged,
      files: [
        "systemd-networkd.service", "systemd-networkd.socket", "systemd-network-generator.service",
        "systemd-networkd-wait-online.service",
      ].map { "systemd/lib/systemd/system/" + $0 }),
    CorpusUnit(
      unit: "systemd-boot-check-no-failures.service", oracle: "required-by", layout: .merged,
      files: [
        "systemd/lib/systemd/system/systemd-boot-check-no-failures.service"
      ]),
    CorpusUnit(
      unit: "reset-wantedby.service", oracle: "reset-wantedby", layout: .merged,
      files: [
        "lib/systemd/system/reset-wantedby.service"
      ], constructed: true),
    CorpusUnit(
      unit: "networking.service", oracle: "sysv-sync-networking-noinsserv", layout: .debian,
      files: [
        "ifupdown/lib/systemd/system/networking.service", "ifupdown/etc/init.d/networking",
      ]),
    CorpusUnit(
      unit: "open-iscsi.service", oracle: "sysv-sync-open-iscsi-noinsserv", layout: .debian,
      files: [
        "open-iscsi/lib/systemd/system/open-iscsi.service", "open-iscsi/etc/init.d/open-iscsi",
      ]),
  ]

  /// Done when: after `apply` of enabled, then of disabled, the link set equals
  /// systemctl's after `enable`, then `disable`; a second plan after each apply is empty.
  @Test(arguments: corpus) func applyGivesSystemctlsLinksAndASecondPlanIsEmpty(_ unit: CorpusUnit) throws {
    let root = try OracleRoot(unit.layout, unit.files, constructed: unit.constructed)
    let steps = try OracleCase("systemd", unit.oracle).steps
    let enable = try #require(steps.first { $0.operation.verb == "enable" })
    let disable = try #require(steps.first { $0.operation.verb == "disable" })
    for (state, step) in [("enabled", enable), ("disabled", disable)] {
      let spec = "services:\n  \(unit.unit): \(state)\n"
      try apply(root, spec)
      #expect(root.links == step.links, "\(unit.unit): \(state)")
      let again = try plan(root, spec)
      #expect(again.changes.filter(\.isChange).isEmpty, "\(unit.unit): \(state) twice")
    }
  }

  /// The same on Debian SysV roots (`update-rc.d`): enabled gives `defaults`' links (then
  /// `enable`), disabled gives `disable`'s, for every script of the update-rc.d corpus.
  @Test(arguments: ["libvirtd", "virtlogd", "networking", "open-iscsi", "iscsid", "procps"])
  func applyGivesUpdateRcDsLinksAndASecondPlanIsEmpty(_ script: String) throws {
    let package = [
      "libvirtd": "libvirt-daemon-system-sysv", "virtlogd": "libvirt-daemon-system-sysv", "networking": "ifupdown",
      "open-iscsi": "open-iscsi", "iscsid": "open-iscsi", "procps": "procps",
    ][script]!
    let root = try OracleRoot(.debianSysV, ["\(package)/etc/init.d/\(script)"])
    let steps = try OracleCase("update-rc.d", script + "-noinsserv").steps
    let defaults = try #require(steps.first { $0.operation.verb == "defaults" })
    let disable = try #require(steps.first { $0.operation.verb == "disable" })
    for (state, step) in [("enabled", defaults), ("disabled", disable)] {
      let spec = "services:\n  \(script): \(state)\n"
      try apply(root, spec)
      #expect(root.links == step.links, "\(script): \(state)")
      #expect(try plan(root, spec).changes.filter(\.isChange).isEmpty, "\(script): \(state) twice")
    }
  }
}

/// On this machine's own root, read only (planned, never applied): where systemd
/// is installed but not running, no start is planned and a warning says why, in facts' words.
@Suite struct LiveServicePlanTests {
  static let applies =
    !FileManager.default.fileExists(atPath: "/run/systemd/system")
    && FileManager.default.fileExists(atPath: "/lib/systemd/system/ksm.service")

  @Test(.enabled(if: applies, "needs a live root with ksm.service installed and systemd not running"))
  func aRunningIntentWithoutServiceManagerPlansNoStartAndWarns() throws {
    let plan = try Planner(root: try HostRoot("/")).plan(
      specText: "services:\n  ksm: running\n", specFile: "host.yaml")
    let ksm = try #require(plan.changes.first { $0.address == ResourceAddress(.service, "ksm") })
    #expect(!ksm.actions.contains(.start) && !ksm.actions.contains(.stop))
    #expect(
      plan.diagnostics.filter { $0.code == .noServiceManager }.map(\.summary) == [
        "systemd is installed but not running here (no /run/systemd/system): running state of ksm left alone"
      ])
  }

  @Test(.enabled(if: applies, "needs a live root with ksm.service installed and systemd not running"))
  func factsAndThePlanAgreeThatTheRunningStateIsUnknown() throws {
    let facts = ServicesFacts(root: try HostRoot("/"))
    #expect(facts.ksm.running.value == nil)
    #expect(facts.ksm.running.unknown == "systemd is installed but not running here (no /run/systemd/system)")
  }
}
