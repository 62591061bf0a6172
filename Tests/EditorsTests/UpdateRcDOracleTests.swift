import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Replays every case of `oracles/update-rc.d/` (Debian 12's update-rc.d run in a chroot by
/// `scripts/oracles/update-rc.d-oracle.sh`) on a Debian SysV root: virthost has no separate
/// `defaults`, it does what systemd-sysv-install does (`defaults` then `enable|disable`), so
/// `defaults` on a script without links is `enabled: true`, `defaults-disabled` is
/// `enabled: false`, and update-rc.d's own `enable` without links (it fails) has no counterpart.
/// `*-noinsserv` cases compare exactly; `*-insserv` ones without sequence numbers.
@Suite struct UpdateRcDOracleTests {
  static let packages = [
    "libvirtd": "libvirt-daemon-system-sysv", "virtlogd": "libvirt-daemon-system-sysv", "networking": "ifupdown",
    "open-iscsi": "open-iscsi", "iscsid": "open-iscsi", "procps": "procps",
  ]

  /// The script of a case: `networking` for `networking-insserv`, `libvirtd` for `renumbered-libvirtd-…`.
  static func script(_ name: String) -> String {
    let base = name.replacingOccurrences(of: "-noinsserv", with: "").replacingOccurrences(of: "-insserv", with: "")
    return base.hasPrefix("renumbered-") ? String(base.dropFirst("renumbered-".count)) : base
  }

  @Test(arguments: try OracleCase.all("update-rc.d"))
  func linksMatchUpdateRcD(_ name: String) throws {
    let oracle = try OracleCase("update-rc.d", name)
    let script = Self.script(name)
    let package = try #require(Self.packages[script])
    let root = try OracleRoot(.debianSysV, ["\(package)/etc/init.d/\(script)"])
    if name.hasPrefix("renumbered-") {
      for level in 2...5 { try link(root, "/etc/rc\(level).d/S20libvirtd") }
      for level in [0, 1, 6] { try link(root, "/etc/rc\(level).d/K80libvirtd") }
    }
    let editor = try ServiceEditor(root: root.root.host)
    #expect(editor.semantics.tool == "update-rc.d")
    let modNumbers = name.hasSuffix("-insserv")
    func compare(_ links: [String: String]) -> [String: String] {
      modNumbers ? SystemdOracleTests.withoutNumbers(links) : links
    }
    for (index, step) in oracle.steps.enumerated() {
      let (verb, _) = step.operation
      let at = "\(name), call \(index + 1): update-rc.d \(script) \(verb)"
      let hadLinks = !root.links.isEmpty
      switch verb {
      case "enable" where !hadLinks: #expect(step.exit == 1, "\(at)")
      case "enable": try apply(root, editor, script, true)
      case "disable", "defaults-disabled": try apply(root, editor, script, false)
      case "defaults" where !hadLinks: try apply(root, editor, script, true)
      case "defaults": #expect(try editor.enablementChanges(script, enabled: editor.state(script).enabled) == [])
      case "remove":
        for path in root.links.keys { try FileManager.default.removeItem(atPath: root.path + path) }
      default: Issue.record("\(at): no replay")
      }
      #expect(compare(root.links) == compare(step.links), "\(at)")
      for expected in step.isEnabled {
        #expect(try editor.state(script).enabled == (expected.answer == "enabled"), "\(at): is-enabled")
      }
    }
  }

  @Test func disablingNetworkingTurnsItsRcSStartLinkIntoAKillLink() throws {
    let root = try OracleRoot(.debianSysV, ["ifupdown/etc/init.d/networking"])
    for path in ["/etc/rcS.d/S01networking", "/etc/rc0.d/K01networking", "/etc/rc6.d/K01networking"] {
      try link(root, path)
    }
    let editor = try ServiceEditor(root: root.root.host)
    #expect(try editor.state("networking").enabled)
    #expect(
      try editor.enablementChanges("networking", enabled: false) == [
        LinkChange(kind: .remove, path: "/etc/rcS.d/S01networking", target: "../init.d/networking"),
        LinkChange(kind: .create, path: "/etc/rcS.d/K01networking", target: "../init.d/networking"),
      ])
    #expect(try editor.enablementChanges("networking", enabled: true) == [])
    #expect(try editor.state("networking").detail == "networking S:on 0:off 6:off")
  }

  @Test func aScriptWithoutLinksOnAnInsservHostIsEnabledByInsservAloneAndDisablingItIsRefused() throws {
    let root = try OracleRoot(.debianSysV, ["procps/etc/init.d/procps"])
    // update-rc.d's test is `-x`: an executable, even an empty one, is insserv configured.
    try root.root.configureInsserv(script: "")
    let editor = try ServiceEditor(root: root.root.host)
    // `update-rc.d procps defaults` is `insserv procps` (-f: initscripts is not installed), which links it.
    let enabling = try editor.enablement("procps", enabled: true)
    #expect(enabling.links == [])
    #expect(enabling.programs == [HostCommand(["/sbin/insserv", "-f", "procps"], role: .afterWrite)])
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges("procps", enabled: false) }
    #expect(
      error?.message
        == "procps has no rc links; on this host update-rc.d orders scripts with insserv, which virthost does not "
        + "reproduce: run `update-rc.d procps defaults-disabled` (or `defaults`, as dpkg does when installing the "
        + "package)")
  }

  private func link(_ root: OracleRoot, _ path: String) throws {
    let script = "../init.d/" + path.split(separator: "/").last!.drop { $0 == "S" || $0 == "K" }.drop(while: \.isNumber)
    try FileManager.default.createSymbolicLink(atPath: root.path + path, withDestinationPath: script)
  }

  private func apply(_ root: OracleRoot, _ editor: ServiceEditor, _ script: String, _ enabled: Bool) throws {
    try root.root.apply(try editor.enablementChanges(script, enabled: enabled), checkedBy: editor)
  }
}
