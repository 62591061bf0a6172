import Foundation
import RootFS
import TestSupport
import Testing

@Suite struct HostRootWriterTests {
  @Test func aReplacedFileKeepsModeOwnerGroupAndExtendedAttributes() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/default/grub", "GRUB_TIMEOUT=5\n")
    let host = temporary.path + "/etc/default/grub"
    #expect(chmod(host, 0o640) == 0)
    #expect(chown(host, 4242, 4343) == 0)
    #expect(FileAttributes.set("user.virthost.test", Array("label".utf8), on: host))
    try HostRootWriter(temporary.host).replace("/etc/default/grub", with: Array("GRUB_TIMEOUT=1\n".utf8))
    let status = try #require(temporary.host.status("/etc/default/grub"))
    #expect(status.mode == 0o640)
    #expect(status.owner == 4242)
    #expect(status.group == 4343)
    #expect(try temporary.host.text("/etc/default/grub") == "GRUB_TIMEOUT=1\n")
    #expect(FileAttributes.value("user.virthost.test", of: host) == Array("label".utf8))
  }

  @Test func aReplacedFileKeepsItsPOSIXACL() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/ksmtuned.conf", "KSM_MONITOR_INTERVAL=60\n")
    let host = temporary.path + "/etc/ksmtuned.conf"
    // user::rw-, user:4242:r--, group::r--, mask::r--, other::---
    let acl = FileAttributes.posixACL([
      .init(tag: 1, permissions: 6), .init(tag: 2, permissions: 4, id: 4242), .init(tag: 4, permissions: 4),
      .init(tag: 0x10, permissions: 4), .init(tag: 0x20, permissions: 0),
    ])
    try #require(
      FileAttributes.set("system.posix_acl_access", acl, on: host),
      "the file system of \(temporary.path) takes no POSIX ACL")
    try HostRootWriter(temporary.host).replace("/etc/ksmtuned.conf", with: Array("KSM_MONITOR_INTERVAL=30\n".utf8))
    #expect(FileAttributes.value("system.posix_acl_access", of: host) == acl)
    #expect(temporary.host.status("/etc/ksmtuned.conf")?.mode == 0o640)
  }

  @Test func aNewFileGetsTheGivenModeAndItsFolders() throws {
    let temporary = try FixtureRoot()
    let writer = HostRootWriter(temporary.host)
    #expect(writer.missingFolders(above: "/etc/sysctl.d/99-virthost.conf") == ["/etc", "/etc/sysctl.d"])
    try writer.replace("/etc/sysctl.d/99-virthost.conf", with: Array("vm.swappiness = 10\n".utf8), mode: 0o600)
    #expect(temporary.host.status("/etc/sysctl.d/99-virthost.conf")?.mode == 0o600)
    #expect(temporary.host.status("/etc/sysctl.d")?.mode == 0o755)
    #expect(try temporary.host.list("/etc/sysctl.d", includingHidden: true) == ["99-virthost.conf"])
  }

  @Test func writingThroughALinkReplacesItsTargetInsideTheRoot() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/boot/grub/grub.conf", "old\n")
    try FileManager.default.createDirectory(atPath: temporary.path + "/etc", withIntermediateDirectories: true)
    try temporary.link("/etc/grub.conf", to: "/boot/grub/grub.conf")
    try HostRootWriter(temporary.host).replace("/etc/grub.conf", with: Array("new\n".utf8))
    #expect(temporary.host.linkText("/etc/grub.conf") == "/boot/grub/grub.conf")
    #expect(try temporary.host.text("/boot/grub/grub.conf") == "new\n")
  }

  @Test func aFailedReplaceLeavesTheOldFileAndNoTemporary() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/sysctl.conf", "old\n")
    // The new bytes cannot take the attribute: an attribute name the kernel refuses.
    let host = temporary.path + "/etc/sysctl.conf"
    #expect(chmod(temporary.path + "/etc", 0o555) == 0)
    defer { chmod(temporary.path + "/etc", 0o755) }
    guard geteuid() != 0 else {
      // root writes into a read-only folder anyway: refuse a folder that is a file instead.
      try temporary.write("/run/blocker", "")
      #expect(throws: HostRootError.system("/run/blocker/x.conf", operation: "write", reason: "Not a directory")) {
        try HostRootWriter(temporary.host).replace("/run/blocker/x.conf", with: [0x61])
      }
      #expect(try temporary.host.text("/etc/sysctl.conf") == "old\n")
      return
    }
    #expect(throws: HostRootError.self) { try HostRootWriter(temporary.host).replace("/etc/sysctl.conf", with: [0x61]) }
    #expect(try String(contentsOfFile: host, encoding: .utf8) == "old\n")
    #expect(try temporary.host.list("/etc", includingHidden: true) == ["sysctl.conf"])
  }

  @Test func linksAreMadeAndRemovedAsThemselves() throws {
    let temporary = try FixtureRoot()
    let writer = HostRootWriter(temporary.host)
    try writer.link("/etc/rc3.d/S13ksm", to: "../init.d/ksm")
    #expect(temporary.host.linkText("/etc/rc3.d/S13ksm") == "../init.d/ksm")
    try writer.link("/etc/rc3.d/S13ksm", to: "../init.d/ksmtuned")
    #expect(temporary.host.linkText("/etc/rc3.d/S13ksm") == "../init.d/ksmtuned")
    try writer.remove("/etc/rc3.d/S13ksm")
    #expect(!temporary.host.exists("/etc/rc3.d/S13ksm"))
    try writer.remove("/etc/rc3.d/S13ksm")
    try writer.removeEmptyFolder("/etc/rc3.d")
    #expect(!temporary.host.exists("/etc/rc3.d"))
  }

  @Test func liveValuesAreWrittenInPlace() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/sys/kernel/mm/ksm/run", "0\n")
    try HostRootWriter(temporary.host).writeLive("/sys/kernel/mm/ksm/run", "1")
    #expect(try temporary.host.text("/sys/kernel/mm/ksm/run") == "1\n")
  }
}

@Suite struct HostRootWriterTemporariesTests {
  @Test func theTemporariesOfAKilledWriteAreRemovedAndNothingElse() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/ksmtuned.conf", "KSM_MONITOR_INTERVAL=60\n")
    try temporary.write("/etc/.ksmtuned.conf.virthost-Ab12Cd", "half")
    try temporary.write("/etc/.ksmtuned.conf.virthost-link", "")
    try temporary.write("/etc/.sysctl.conf.virthost-Zz99Yy", "another file's")
    try HostRootWriter(temporary.host).removeTemporaries(of: "/etc/ksmtuned.conf")
    #expect(
      try temporary.host.list("/etc", includingHidden: true) == [".sysctl.conf.virthost-Zz99Yy", "ksmtuned.conf"])
    try HostRootWriter(temporary.host).removeTemporaries(of: "/missing/folder/file")
  }
}

@Suite struct HostRootWriterNewLinkTests {
  @Test func aNewLinkIsMadeInOneStepWithItsFoldersAndNothingElse() throws {
    let temporary = try FixtureRoot()
    try HostRootWriter(temporary.host).createLink("/etc/rc.d/rc3.d/S84ksm", to: "../init.d/ksm")
    #expect(temporary.host.linkText("/etc/rc.d/rc3.d/S84ksm") == "../init.d/ksm")
    #expect(try temporary.host.list("/etc/rc.d/rc3.d", includingHidden: true) == ["S84ksm"])
  }

  @Test func somethingAlreadyThereIsRefusedAndKept() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/rc.d/rc3.d/.keep", "")
    try temporary.link("/etc/rc.d/rc3.d/S84ksm", to: "../init.d/missing")
    #expect(throws: HostRootError.system("/etc/rc.d/rc3.d/S84ksm", operation: "create the link", reason: "File exists"))
    {
      try HostRootWriter(temporary.host).createLink("/etc/rc.d/rc3.d/S84ksm", to: "../init.d/ksm")
    }
    #expect(temporary.host.linkText("/etc/rc.d/rc3.d/S84ksm") == "../init.d/missing")
  }
}
