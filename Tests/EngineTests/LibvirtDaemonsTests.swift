import Foundation
import TestSupport
import Testing

@testable import Engine

/// Issue 35: `libvirt.daemons` through the services sink, compared with what systemctl does on
/// Debian 12's libvirt units and on virtqemud's units rendered from libvirt's upstream templates.
@Suite struct LibvirtDaemonsTests {
  static let rendered = "Tests/EditorsTests/Fixtures/libvirt-upstream-rendered/lib/systemd/system/"
  static let modularUnits = ["virtqemud.service", "virtqemud.socket", "virtqemud-ro.socket", "virtqemud-admin.socket"]

  /// A merged-usr Debian root with Debian 12's libvirt units and, with `modular`, the rendered ones.
  func root(modular: Bool = false) throws -> OracleRoot {
    let root = try OracleRoot(.merged, OracleRoot.libvirtUnits)
    if modular {
      for unit in Self.modularUnits {
        let rendered = FixtureRoot.repository.appendingPathComponent(Self.rendered + unit)
        try FileManager.default.copyItem(atPath: rendered.path, toPath: root.path + "/lib/systemd/system/" + unit)
      }
    }
    return root
  }

  func plan(_ root: OracleRoot, _ spec: String) throws -> Plan {
    try Planner(root: root.root.host).plan(specText: spec, specFile: "host.yaml")
  }

  func apply(_ root: OracleRoot, _ spec: String) throws {
    let engine = Engine(planner: Planner(root: root.root.host), lockWait: .milliseconds(200))
    _ = try engine.apply(try engine.plan(specText: spec, specFile: "host.yaml"))
  }

  /// The links after the last systemctl call of an oracle case.
  func oracleLinks(_ name: String) throws -> [String: String] {
    try #require(try OracleCase("systemd", name).steps.last).links
  }

  @Test func autoOnDebian12IsLibvirtdWithSystemctlsLinksAndThenNothing() throws {
    let root = try root()
    let spec = "libvirt:\n  daemons: auto\n"
    let planned = try plan(root, spec)
    #expect(planned.diagnostics.filter { $0.severity == .error }.isEmpty)
    let change = try #require(planned.changes.first { $0.address == ResourceAddress(.service, "libvirtd") })
    #expect(change.actions == [.enable])
    #expect(change.reason == "libvirt.daemons: auto (monolithic here): the QEMU driver runs in libvirtd.service")
    // libvirtd exits when idle (--timeout 120): its socket is what must listen.
    let socket = try #require(planned.changes.first { $0.address == ResourceAddress(.service, "libvirtd.socket") })
    #expect(
      socket.reason
        == "libvirt.daemons: auto (monolithic here): clients reach libvirtd.service through libvirtd.socket, "
        + "which starts it on demand")
    try apply(root, spec)
    let enabled = try #require(try OracleCase("systemd", "libvirtd-merged").steps.first)
    #expect(root.links == enabled.links)
    #expect(try plan(root, spec).changes.filter(\.isChange).isEmpty)
  }

  @Test func modularIsRefusedNamingTheMissingUnitsWhereOnlyLibvirtdIsInstalled() throws {
    let planned = try plan(try root(), "libvirt:\n  daemons: modular\n")
    let errors = planned.diagnostics.filter { $0.severity == .error }
    #expect(errors.map(\.code) == [.libvirtDaemonsMissing])
    #expect(
      errors.first?.summary
        == "libvirt.daemons: modular needs virtqemud.service, virtqemud.socket, virtqemud-ro.socket, "
        + "virtqemud-admin.socket, not installed on this host")
    #expect(errors.first?.location?.description == "host.yaml:2:3")
    #expect(planned.changes.filter(\.isChange).isEmpty)
  }

  @Test func modularOnAHostRunningLibvirtdGivesSystemctlsDisableThenEnableAndThenNothing() throws {
    let root = try root(modular: true)
    try apply(root, "libvirt:\n  daemons: monolithic\n")
    #expect(root.links == (try #require(try OracleCase("systemd", "libvirtd-merged").steps.first)).links)
    let spec = "libvirt:\n  daemons: modular\n"
    let planned = try plan(root, spec)
    #expect(planned.diagnostics.filter { $0.severity == .error }.isEmpty)
    #expect(
      planned.changes.first { $0.address == ResourceAddress(.service, "libvirtd.service") }?.actions == [.disable])
    try apply(root, spec)
    #expect(root.links == (try oracleLinks("libvirt-monolithic-to-modular")))
    #expect(try plan(root, spec).changes.filter(\.isChange).isEmpty)
  }

  @Test func monolithicOnAHostRunningVirtqemudGivesSystemctlsDisableThenEnableAndThenNothing() throws {
    let root = try root(modular: true)
    try apply(root, "libvirt:\n  daemons: modular\n")
    #expect(root.links == (try oracleLinks("libvirt-modular")))
    let spec = "libvirt:\n  daemons: monolithic\n"
    try apply(root, spec)
    #expect(root.links == (try oracleLinks("libvirt-modular-to-monolithic")))
    #expect(try plan(root, spec).changes.filter(\.isChange).isEmpty)
  }

  @Test func autoIsModularOutsideTheDebianFamilyWhereVirtqemudIsInstalled() throws {
    let root = try root(modular: true)
    try FileManager.default.removeItem(atPath: root.path + "/etc/debian_version")
    let planned = try plan(root, "libvirt:\n  daemons: auto\n")
    let change = try #require(planned.changes.first { $0.address == ResourceAddress(.service, "virtqemud") })
    #expect(change.actions == [.enable])
    #expect(change.reason == "libvirt.daemons: auto (modular here): the QEMU driver runs in virtqemud.service")
  }

  @Test func aServicesKeyAskingTheOppositeOfTheDaemonsIsRefusedNamingBoth() throws {
    let planned = try plan(try root(), "services:\n  libvirtd: disabled\nlibvirt:\n  daemons: monolithic\n")
    #expect(
      planned.diagnostics.filter { $0.severity == .error }.map(\.summary) == [
        "libvirt.daemons: monolithic and services.libvirtd: disabled name one service, libvirtd.service, "
          + "with different states"
      ])
  }

  @Test func anUnknownModeIsRefusedAtItsLine() throws {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("libvirt:\n  daemons: split\n", file: "h.yaml")
    }
    #expect(error?.diagnostics.map { $0.location?.description ?? "-" } == ["h.yaml:2:12"])
    #expect(error?.diagnostics.first?.summary.contains("auto, monolithic, modular") == true)
  }
}
