import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Issue 34: on a Debian root booted by systemd where insserv is installed and configured,
/// `systemctl enable|disable UNIT` runs systemd-sysv-install for the unit's own init script,
/// which runs `update-rc.d NAME defaults` and `enable|disable`; update-rc.d's SysV part does
/// not depend on the init system (init-system-helpers 1.65.2's `create_sequence`: insserv
/// when `/etc/insserv.conf` and the program are there, else plain links), so the links are
/// followed by `insserv NAME` as on a SysV root. Replayed against `oracles/systemd/sysv-sync-*-insserv.tsv`
/// (Debian 12's systemctl, update-rc.d and insserv): the links virthost plans plus the ones
/// insserv made there give the oracle's links, numbers aside.
@Suite struct InsservSystemdTests {
  /// The case's root with insserv configured as the insserv package installs it
  /// (`/etc/insserv.conf`, an executable `/sbin/insserv`: a stand-in, the real one ran in the oracle).
  static func root(_ name: String, insserv: Bool = true) throws -> OracleRoot {
    let root = try #require(SystemdOracleTests.setup(name)).build()
    guard insserv else { return root }
    try root.root.configureInsserv()
    return root
  }

  /// The oracle's rc links after `step` (what insserv made or renumbered).
  static func rcLinks(_ step: OracleCase.Step) -> [String: String] {
    step.links.filter { $0.key.hasPrefix("/etc/rc") }
  }

  @Test(arguments: [("sysv-sync-libvirtd-insserv", "libvirtd"), ("sysv-sync-networking-insserv", "networking")])
  func enablingAndDisablingRunInsservAfterTheLinksAsUpdateRcDDoes(_ name: String, _ script: String) throws {
    let oracle = try OracleCase("systemd", name)
    let root = try Self.root(name)
    let editor = try ServiceEditor(root: root.root.host, initSystem: .systemd)
    let insserv = [HostCommand(["/sbin/insserv", "-f", script], role: .afterWrite)]
    let unit = script + ".service"

    // enable: no rc link yet, so update-rc.d's `defaults` is insserv's alone: the unit's
    // wants links, then `insserv -f NAME`, which makes the rc links.
    let enable = try editor.enablement(unit, enabled: true)
    #expect(enable.links.allSatisfy { $0.path.hasPrefix("/etc/systemd/") }, "\(enable.links)")
    #expect(enable.programs == insserv)
    try root.root.apply(enable.links, checkedBy: editor)
    for (path, text) in Self.rcLinks(oracle.steps[0]) { try root.root.link(path, to: text) }
    #expect(root.links == oracle.steps[0].links)
    #expect(try editor.enablement(unit, enabled: true) == ServiceEnablement(), "nothing left to do")

    // disable: the wants links removed, S renamed to K in the start levels, then insserv.
    let disable = try editor.enablement(unit, enabled: false)
    #expect(disable.programs == insserv)
    #expect(disable.links.contains { $0.path.hasPrefix("/etc/rc") && $0.kind == .create })
    try root.root.apply(disable.links, checkedBy: editor)
    #expect(
      SystemdOracleTests.withoutNumbers(root.links) == SystemdOracleTests.withoutNumbers(oracle.steps[1].links))
  }

  @Test func withoutInsservConfiguredOnlyTheLinksArePlanned() throws {
    let root = try Self.root("sysv-sync-libvirtd-noinsserv", insserv: false)
    try root.root.writeProgram("/sbin/insserv", "#!/bin/sh\n")  // installed, but no /etc/insserv.conf: not configured
    let editor = try ServiceEditor(root: root.root.host, initSystem: .systemd)
    let enable = try editor.enablement("libvirtd.service", enabled: true)
    #expect(enable.programs == [])
    #expect(enable.links.contains { $0.path == "/etc/rc2.d/S01libvirtd" })
  }

  /// Rollback of such an enable, after insserv renumbered the script's links: the unit's wants
  /// links removed one by one, the script's links given back their letter at insserv's
  /// numbers, then insserv again (``UpdateRcDScripts/undoing(_:)``).
  @Test func undoingAnEnableRemovesTheWantsLinksAndGivesTheScriptItsLettersBack() throws {
    let root = try Self.root("sysv-sync-libvirtd-insserv")
    for level in ["0", "1", "6"] { try root.root.link("/etc/rc\(level).d/K01libvirtd", to: "../init.d/libvirtd") }
    for level in ["2", "3", "4", "5"] { try root.root.link("/etc/rc\(level).d/K20libvirtd", to: "../init.d/libvirtd") }
    let before = root.links
    let editor = try ServiceEditor(root: root.root.host, initSystem: .systemd)
    let enable = try editor.enablement("libvirtd.service", enabled: true)
    #expect(enable.programs == [HostCommand(["/sbin/insserv", "-f", "libvirtd"], role: .afterWrite)])
    try root.root.apply(enable.links, checkedBy: editor)
    #expect(root.links["/etc/rc2.d/S20libvirtd"] == "../init.d/libvirtd", "renamed, number kept")
    // insserv renumbers: S20 becomes S02.
    for level in ["2", "3", "4", "5"] {
      try FileManager.default.removeItem(atPath: root.path + "/etc/rc\(level).d/S20libvirtd")
      try root.root.link("/etc/rc\(level).d/S02libvirtd", to: "../init.d/libvirtd")
    }
    let undo = try #require(UpdateRcDScripts(root: root.root.host).undoing(enable.links))
    #expect(undo.programs == enable.programs)
    let wants = enable.links.filter { $0.path.hasPrefix("/etc/systemd/") }
    #expect(!wants.isEmpty)
    #expect(
      Array(undo.links.prefix(wants.count))
        == wants.reversed().map { LinkChange(kind: .remove, path: $0.path, target: $0.target) })
    try root.root.apply(undo.links, checkedBy: editor)
    #expect(SystemdOracleTests.withoutNumbers(root.links) == SystemdOracleTests.withoutNumbers(before))
    #expect(root.links["/etc/rc2.d/K02libvirtd"] == "../init.d/libvirtd", "insserv's number, the letter it had")
  }

  /// On a merged-usr root the package's `/sbin/insserv` is `/usr/sbin/insserv` through the
  /// `/sbin -> usr/sbin` link: found as update-rc.d finds it (`-x "/sbin/insserv"`); a
  /// `/usr/sbin/insserv` alone, without that link, is not what update-rc.d runs.
  @Test func insservIsFoundThroughAMergedUsrSbin() throws {
    let root = try OracleRoot(.debian, [])
    try root.root.configureInsserv(at: "/usr/sbin/insserv")
    #expect(Insserv(root: root.root.host) == nil, "no /sbin/insserv: update-rc.d would not run /usr/sbin/insserv")
    try FileManager.default.createSymbolicLink(atPath: root.path + "/sbin", withDestinationPath: "usr/sbin")
    #expect(Insserv(root: root.root.host)?.program == "/sbin/insserv")
  }

  // MARK: an init script without a unit (systemctl: "not a native service, redirecting to systemd-sysv-install")

  /// A Debian systemd root with `/etc/init.d/libvirtd` (from libvirt-daemon-system-sysv) and
  /// no unit of that name: a script whose package ships none.
  static func scriptOnlyRoot(insserv: Bool) throws -> OracleRoot {
    let root = try OracleRoot(.debian, ["libvirt-daemon-system-sysv/etc/init.d/libvirtd"])
    if insserv {
      try root.root.configureInsserv()
    }
    return root
  }

  @Test func aScriptWithoutAUnitIsUpdateRcDsWithInsserv() throws {
    let root = try Self.scriptOnlyRoot(insserv: true)
    let editor = try ServiceEditor(root: root.root.host, initSystem: .systemd)
    let state = try editor.state("libvirtd")
    #expect(
      state
        == ServiceState(
          name: "libvirtd", exists: true, enabled: false, masked: false, detail: "libvirtd has no rc links"))
    // update-rc.d libvirtd defaults is insserv's alone there: it makes the links.
    let enable = try editor.enablement("libvirtd", enabled: true)
    #expect(enable.links == [])
    #expect(enable.programs == [HostCommand(["/sbin/insserv", "-f", "libvirtd"], role: .afterWrite)])
  }

  @Test func aScriptWithoutAUnitGetsUpdateRcDsPlainLinksWithoutInsserv() throws {
    let root = try Self.scriptOnlyRoot(insserv: false)
    let editor = try ServiceEditor(root: root.root.host, initSystem: .systemd)
    let enable = try editor.enablement("libvirtd.service", enabled: true)
    #expect(enable.programs == [])
    try root.root.apply(enable.links, checkedBy: editor)
    #expect(
      root.links == [
        "/etc/rc0.d/K01libvirtd": "../init.d/libvirtd", "/etc/rc1.d/K01libvirtd": "../init.d/libvirtd",
        "/etc/rc2.d/S01libvirtd": "../init.d/libvirtd", "/etc/rc3.d/S01libvirtd": "../init.d/libvirtd",
        "/etc/rc4.d/S01libvirtd": "../init.d/libvirtd", "/etc/rc5.d/S01libvirtd": "../init.d/libvirtd",
        "/etc/rc6.d/K01libvirtd": "../init.d/libvirtd",
      ])
    #expect(try editor.state("libvirtd").enabled)
    #expect(try editor.enablement("libvirtd", enabled: true) == ServiceEnablement())
  }

  @Test func aUnitOrAMaskOfTheNameIsNotAScriptOnlyService() throws {
    let root = try Self.scriptOnlyRoot(insserv: false)
    let reader = try ServiceReader(root: root.root.host, initSystem: .systemd)
    #expect(reader.sysvOnlyScript("libvirtd") == "libvirtd")
    #expect(reader.sysvOnlyScript("virtlogd") == nil, "no script, no unit")
    try root.root.link("/etc/systemd/system/libvirtd.service", to: "/dev/null")
    #expect(reader.sysvOnlyScript("libvirtd") == nil)
    #expect(try ServiceEditor(root: root.root.host, initSystem: .systemd).state("libvirtd").masked)
  }
}
