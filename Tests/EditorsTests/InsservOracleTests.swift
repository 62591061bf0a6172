import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Replays `oracles/insserv/` (Debian 12's update-rc.d and insserv 1.24.0-1 run in a chroot by
/// `scripts/oracles/insserv-oracle.sh`) on a Debian SysV root with insserv configured: ksm and
/// ksmtuned (`Required-Start: ksm`) linked K01ksmtuned/K02ksm, `.depend.start` listing neither.
/// virthost plans update-rc.d's rename and then the `insserv NAME` update-rc.d runs; insserv
/// itself is not run here (it renumbers from every script's LSB block): its result is the
/// oracle's, and what virthost reads from it is compared.
@Suite struct InsservOracleTests {
  static let scripts = ["etc/init.d/ksm", "etc/init.d/ksmtuned"]

  /// The root of the case's `(initial state)`, with `/etc/insserv.conf` and an executable `/sbin/insserv`.
  func initialRoot(_ oracle: OracleCase) throws -> OracleRoot {
    let root = try OracleRoot(.debianSysV, Self.scripts, constructed: true)
    try root.root.configureInsserv()
    try set(root, to: try #require(oracle.steps.first))
    return root
  }

  /// Makes the root's links and `.depend.*` files those the oracle recorded after `step`.
  func set(_ root: OracleRoot, to step: OracleCase.Step) throws {
    for path in root.links.keys { try FileManager.default.removeItem(atPath: root.path + path) }
    for (path, text) in step.links {
      try FileManager.default.createSymbolicLink(atPath: root.path + path, withDestinationPath: text)
    }
    for (file, lines) in step.depend {
      try root.root.write("/etc/init.d/" + file, lines.joined(separator: "\n") + "\n")
    }
  }

  @Test func enablingRenamesAsUpdateRcDThenRunsInsservForEachScriptAsTheOracleDid() throws {
    let oracle = try OracleCase("insserv", "ksm-ksmtuned-virthost")
    let root = try initialRoot(oracle)
    let editor = try ServiceEditor(root: root.root.host, initSystem: .sysv)
    #expect(editor.semantics.tool == "update-rc.d")
    // Steps: (initial), update-rc.d ksm enable (rename only), insserv -f ksm, the same for ksmtuned.
    for (name, rename, insserv) in [("ksm", 1, 2), ("ksmtuned", 3, 4)] {
      let plan = try editor.enablement(name, enabled: true)
      try root.root.apply(plan.links, checkedBy: editor)
      #expect(root.links == oracle.steps[rename].links, "\(name): the rename update-rc.d makes without insserv")
      let ran = oracle.steps[insserv].command.drop { $0 != "$ROOT" }.dropFirst()
      #expect(plan.programs == [HostCommand(Array(ran), role: .afterWrite)], "\(name): the program run after the links")
      #expect(try !editor.state(name).enabled, "\(name): renamed, not yet in .depend.start")
      try set(root, to: oracle.steps[insserv])
      #expect(try editor.state(name).enabled, "\(name): after insserv")
      #expect(try editor.enablement(name, enabled: true) == ServiceEnablement(), "\(name): nothing left to do")
    }
    let tool = try OracleCase("insserv", "ksm-ksmtuned-update-rc.d")
    #expect(oracle.steps.last?.links == tool.steps.last?.links)
    #expect(root.links["/etc/rc2.d/S01ksm"] != nil && root.links["/etc/rc2.d/S02ksmtuned"] != nil)
    #expect(tool.steps.last?.depend[".depend.start"]?.contains("ksmtuned: ksm") == true)
  }

  @Test func sLinksThatDependStartDoesNotListAreNotEnabledAndInsservIsPlanned() throws {
    // The booted guest of issue 34: links renamed to S, .depend.start as before.
    let oracle = try OracleCase("insserv", "ksm-ksmtuned-virthost")
    let root = try initialRoot(oracle)
    var renamed = try #require(oracle.steps.first)
    renamed.links = oracle.steps[3].links
    try set(root, to: renamed)
    let editor = try ServiceEditor(root: root.root.host, initSystem: .sysv)
    let state = try editor.state("ksm")
    #expect(!state.enabled)
    #expect(
      state.detail
        == "ksm 0:off 1:off 2:on 3:on 4:on 5:on 6:off; /etc/init.d/.depend.start does not list ksm, "
        + "so sysv-rc's startpar does not start it at boot (pending insserv)")
    let plan = try editor.enablement("ksm", enabled: true)
    #expect(plan.links == [])
    #expect(plan.programs == [HostCommand(["/sbin/insserv", "-f", "ksm"], role: .afterWrite)])
  }

  @Test func withInitscriptsInstalledInsservRunsWithoutForce() throws {
    let oracle = try OracleCase("insserv", "ksm-ksmtuned-virthost")
    let root = try initialRoot(oracle)
    try root.root.link("/etc/rcS.d/S05mountkernfs.sh", to: "../init.d/mountkernfs.sh")
    let insserv = try #require(Insserv(root: root.root.host))
    #expect(insserv.command("ksm") == ["/sbin/insserv", "ksm"])
  }

  @Test func insservThatIsNotExecutableIsNotConfigured() throws {
    let oracle = try OracleCase("insserv", "ksm-ksmtuned-virthost")
    let root = try initialRoot(oracle)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: root.path + "/sbin/insserv")
    #expect(Insserv(root: root.root.host) == nil)
    // update-rc.d renames without it, and nothing reads .depend.* then.
    #expect(try ServiceEditor(root: root.root.host, initSystem: .sysv).enablement("ksm", enabled: true).programs == [])
  }

  @Test func emptyDependFilesMeanSysvRcBootsByNumbersAndNumbersDecide() throws {
    let oracle = try OracleCase("insserv", "ksm-ksmtuned-virthost")
    let root = try initialRoot(oracle)
    var renamed = try #require(oracle.steps.first)
    renamed.links = oracle.steps[3].links
    try set(root, to: renamed)
    try root.root.write("/etc/init.d/.depend.boot", "")
    #expect(try ServiceEditor(root: root.root.host, initSystem: .sysv).state("ksm").enabled)
  }
}
