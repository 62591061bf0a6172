import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// D1: which tool's semantics services follow, told from the root's family marks.
@Suite struct ServiceSemanticsTests {
  /// A root with `files` (empty files; a path ending in `/` a folder) and SysV's init folders.
  func root(_ files: [String]) throws -> FixtureRoot {
    let root = try FixtureRoot()
    for file in files {
      if file.hasSuffix("/") {
        try FileManager.default.createDirectory(atPath: root.path + file, withIntermediateDirectories: true)
      } else {
        try root.write(file, "")
      }
    }
    return root
  }

  @Test(arguments: [
    (["/etc/debian_version"], "debian", "/etc/debian_version"),
    (["/etc/rc.d/init.d/"], "rhel", "/etc/rc.d/init.d"),
    (["/sbin/chkconfig", "/etc/redhat-release"], "rhel", "/etc/redhat-release, /sbin/chkconfig"),
    (["/usr/sbin/update-rc.d", "/etc/redhat-release"], "debian", "/usr/sbin/update-rc.d"),
    ([], "rhel", "no family marker found, chkconfig's conventions assumed"),
  ])
  func theFamilyIsToldFromItsMarks(_ files: [String], _ family: String, _ evidence: String) throws {
    let root = try root(files)  // kept: the copy is removed when released
    let semantics = try ServiceSemantics.detect(root: root.host, initSystem: .sysv)
    #expect(semantics.family.rawValue == family)
    #expect(semantics.evidence == evidence)
  }

  @Test func bothToolsWithMarksOfBothFamiliesIsAnError() throws {
    let root = try root(["/etc/debian_version", "/usr/sbin/update-rc.d", "/sbin/chkconfig", "/etc/redhat-release"])
    #expect(
      throws: ServiceConfigError.ambiguousFamily(found: [
        "/etc/debian_version", "/usr/sbin/update-rc.d", "/etc/redhat-release", "/sbin/chkconfig",
      ])
    ) { try ServiceSemantics.detect(root: root.host, initSystem: .sysv) }
  }

  @Test func theSeedHostKeepsChkconfigAndADebianRootGetsUpdateRcD() throws {
    let seed = try FixtureRoot(seed)
    #expect(try ServiceEditor(root: seed.host).semantics.tool == "chkconfig")
    let debian = try OracleRoot(.debianSysV, ["ifupdown/etc/init.d/networking"])
    #expect(
      try ServiceEditor(root: debian.root.host).semantics.summary
        == "services follow update-rc.d (sysv, Debian family: /etc/debian_version, /etc/rcS.d)")
  }

  @Test func aBareTemplateWithoutDefaultInstanceIsRefusedWithSystemctlsSense() throws {
    let root = try OracleRoot(.merged, ["systemd/lib/systemd/system/getty@.service"])
    let path = root.path + "/lib/systemd/system/getty@.service"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "DefaultInstance=tty1\n", with: "").write(
      toFile: path, atomically: false, encoding: .utf8)
    let editor = try ServiceEditor(root: root.root.host)
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges("getty@", enabled: true) }
    #expect(
      error?.message
        == "getty@.service has no DefaultInstance=: name an instance to enable, such as getty@tty1.service "
        + "(systemctl enable refuses the bare template)")
    #expect(
      try editor.enablementChanges("getty@tty3", enabled: true) == [
        LinkChange(
          kind: .create, path: "/etc/systemd/system/getty.target.wants/getty@tty3.service",
          target: "/lib/systemd/system/getty@.service")
      ])
  }

  @Test func anEmptyWantedByResetsTheList() throws {
    let root = try OracleRoot(.merged, ["lib/systemd/system/reset-wantedby.service"], constructed: true)
    let editor = try ServiceEditor(root: root.root.host)
    #expect(
      try editor.enablementChanges("reset-wantedby", enabled: true) == [
        LinkChange(
          kind: .create, path: "/etc/systemd/system/graphical.target.wants/reset-wantedby.service",
          target: "/lib/systemd/system/reset-wantedby.service")
      ])
  }

  @Test func aLinkSpelledUsrLibThatLeadsToTheSameFileIsTheRightLink() throws {
    let root = try OracleRoot(.merged, ["ksmtuned/lib/systemd/system/ksm.service"])
    try FileManager.default.createDirectory(
      atPath: root.path + "/etc/systemd/system/multi-user.target.wants", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/multi-user.target.wants/ksm.service",
      withDestinationPath: "/usr/lib/systemd/system/ksm.service")
    let editor = try ServiceEditor(root: root.root.host)
    #expect(try editor.state("ksm").answer == .enabled)
    #expect(try editor.enablementChanges("ksm", enabled: true) == [])
    let systemctlSpelling = LinkChange(
      kind: .create, path: "/etc/systemd/system/multi-user.target.wants/ksm.service",
      target: "/lib/systemd/system/ksm.service")
    #expect(try editor.linksToChange([systemctlSpelling]) == [])
  }
}
