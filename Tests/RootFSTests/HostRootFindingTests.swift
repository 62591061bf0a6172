import Foundation
import RootFS
import TestSupport
import Testing

@Suite struct HostRootFindingTests {
  @Test func realFilesResolveLinksInsideTheRootAndKeepEachFileOnce() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/boot/grub/grub.conf", "")
    try temporary.link("/boot/grub/menu.lst", to: "./grub.conf")
    // Absolute: resolved in the root, never on the live host.
    try temporary.link("/etc-grub.conf", to: "/boot/grub/grub.conf")
    try temporary.link("/dangling", to: "/missing")
    try FileManager.default.createDirectory(atPath: temporary.path + "/folder", withIntermediateDirectories: true)
    let found = temporary.host.realFiles([
      "/boot/grub/menu.lst", "/dangling", "/folder", "/boot/grub/grub.conf", "/etc-grub.conf", "/absent",
    ])
    #expect(found == ["/boot/grub/grub.conf"])
  }

  @Test func globListsOneLevelSortedWithoutHiddenNames() throws {
    let temporary = try FixtureRoot()
    for name in ["b.conf", "a.conf", ".hidden.conf", "notes.txt", "sub/c.conf"] {
      try temporary.write("/entries/" + name, "")
    }
    try temporary.link("/linked", to: "/entries")
    #expect(temporary.host.glob("/entries", suffix: ".conf") == ["/entries/a.conf", "/entries/b.conf"])
    #expect(temporary.host.glob("/linked", suffix: ".conf") == ["/linked/a.conf", "/linked/b.conf"], "named as given")
    #expect(temporary.host.glob("/absent", suffix: ".conf") == [])
  }

  @Test func subfoldersIncludeLinkedAndHiddenFoldersButNoFiles() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/EFI/centos/grub.cfg", "")
    try temporary.write("/EFI/.hidden/grub.cfg", "")
    try temporary.write("/EFI/file", "")
    try temporary.link("/EFI/redhat", to: "centos")
    #expect(temporary.host.subfolders("/EFI") == ["/EFI/.hidden", "/EFI/centos", "/EFI/redhat"])
    #expect(temporary.host.subfolders("/absent") == [])
  }
}
