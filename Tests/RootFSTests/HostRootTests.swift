import Foundation
import RootFS
import TestSupport
import Testing

@Suite struct HostRootTests {
  @Test func aRootSpelledWithDotsAndSlashesIsNormalisedOnce() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/x/file", "")
    let spelled = try HostRoot(temporary.path + "//./x/../")
    #expect(spelled == temporary.host)
    #expect(!spelled.isLive)
    #expect(try HostRoot("/./").isLive)
    #expect(try HostRoot("//").path == "/")
  }

  @Test func aLinkToTheRootIsTheRoot() throws {
    let temporary = try FixtureRoot()
    let link = temporary.path + "-link"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: temporary.path)
    defer { try? FileManager.default.removeItem(atPath: link) }
    #expect(try HostRoot(link) == temporary.host)
  }

  @Test func aMissingRootIsRefusedByName() throws {
    #expect(throws: HostRootError.missingRoot("/nonexistent/virthost-root")) {
      try HostRoot("/nonexistent/virthost-root")
    }
    let temporary = try FixtureRoot()
    try temporary.write("/file", "x")
    #expect(throws: HostRootError.rootNotDirectory(temporary.path + "/file")) {
      try HostRoot(temporary.path + "/file")
    }
  }

  @Test func absoluteLinksAndDotDotStayInsideTheRoot() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/boot/grub/grub.conf", "default=0\n")
    try FileManager.default.createDirectory(atPath: temporary.path + "/etc", withIntermediateDirectories: true)
    try temporary.link("/etc/grub.conf", to: "/boot/grub/grub.conf")
    try temporary.link("/etc/up", to: "../../../../../etc")
    #expect(temporary.host.resolve("/etc/grub.conf") == "/boot/grub/grub.conf")
    #expect(temporary.host.resolve("/etc/up/grub.conf") == "/boot/grub/grub.conf")
    #expect(temporary.host.hostPath("/etc/grub.conf") == temporary.path + "/boot/grub/grub.conf")
    #expect(try temporary.host.text("/etc/up/grub.conf") == "default=0\n")
    #expect(temporary.host.physical("/etc/grub.conf") == "/etc/grub.conf")
    #expect(temporary.host.linkText("/etc/grub.conf") == "/boot/grub/grub.conf")
    #expect(temporary.host.status("/etc/grub.conf", followingLinks: false)?.kind == .symbolicLink)
  }

  @Test func loopingLinksAreReportedNotFollowedForever() throws {
    let temporary = try FixtureRoot()
    try temporary.link("/a", to: "/b")
    try temporary.link("/b", to: "/a")
    #expect(temporary.host.resolve("/a") == nil)
    #expect(throws: HostRootError.tooManyLinks("/a")) { try temporary.host.read("/a") }
  }

  @Test func readsOnlyRegularFilesAndNeverBlocksOnAFIFO() throws {
    let temporary = try FixtureRoot()
    #expect(mkfifo(temporary.path + "/fifo", 0o600) == 0)
    #expect(throws: HostRootError.notRegularFile("/fifo")) { try temporary.host.read("/fifo") }
    #expect(throws: HostRootError.notRegularFile("/")) { try temporary.host.read("/") }
    #expect(throws: HostRootError.notFound("/missing")) { try temporary.host.read("/missing") }
    #expect(try temporary.host.readIfPresent("/missing") == nil)
  }

  @Test func aFileLargerThanTheLimitIsRefusedNotCut() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/big", String(repeating: "x", count: 100))
    #expect(try temporary.host.read("/big", limit: 100).count == 100)
    #expect(throws: HostRootError.tooLarge("/big", limit: 99)) { try temporary.host.read("/big", limit: 99) }
  }

  @Test func textThatIsNotUTF8OrHoldsNULIsPlacedAtItsByte() throws {
    let temporary = try FixtureRoot()
    try Data([0x61, 0x0A, 0x62, 0x62, 0xFF]).write(to: URL(fileURLWithPath: temporary.path + "/latin1"))
    try Data([0x61, 0x00]).write(to: URL(fileURLWithPath: temporary.path + "/nul"))
    #expect(throws: HostRootError.notText("/latin1", line: 2, column: 3, reason: "not UTF-8 text (byte 0xFF)")) {
      try temporary.host.text("/latin1")
    }
    #expect(throws: HostRootError.notText("/nul", line: 1, column: 2, reason: "holds a NUL byte: not a text file")) {
      try temporary.host.text("/nul")
    }
  }

  @Test func valuesAreTheTrimmedFirstLine() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/sys/kernel/mm/ksm/run", " 1\t\nsecond\n")
    #expect(try temporary.host.value("/sys/kernel/mm/ksm/run") == "1")
  }

  @Test func listingsAreSortedAndLeaveOutHiddenNames() throws {
    let temporary = try FixtureRoot()
    for name in ["b.conf", "a.conf", ".keep", "10-x.conf"] { try temporary.write("/etc/sysctl.d/" + name, "") }
    #expect(try temporary.host.list("/etc/sysctl.d") == ["10-x.conf", "a.conf", "b.conf"])
    #expect(
      try temporary.host.list("/etc/sysctl.d", includingHidden: true) == [".keep", "10-x.conf", "a.conf", "b.conf"])
    #expect(throws: HostRootError.notFound("/etc/missing")) { try temporary.host.list("/etc/missing") }
    #expect(temporary.host.listIfPresent("/etc/missing") == [])
  }
}
