import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// What the editor cannot parse: a clear error naming file, line and what was
/// found, before any change is planned; no file written.
@Suite struct ParseErrorTests {
  let legacy = fixtures + "/legacy-multi/root"
  let bls = fixtures + "/bls-rhel9/root"
  let debian = fixtures + "/grub2-debian/root"

  /// Opens an editor on `root` (after `prepare`), expects an error, checks the tree is untouched.
  func expectRefusal(
    _ fixture: String, kind: BootLoaderKind? = nil, prepare: (FixtureRoot) throws -> Void
  ) throws -> EditorError? {
    let root = try FixtureRoot(fixture)
    try prepare(root)
    let before = try root.snapshot()
    let error = #expect(throws: EditorError.self) {
      let editor = try BootLoaderEditor(root: root.path, kind: kind)
      try editor.ensure(KernelArgsRequest(entries: .all, present: try args("amd_iommu=on"), absent: []))
      _ = try editor.pendingChanges()
    }
    #expect(try root.snapshot() == before, "nothing written")
    return error
  }

  @Test func crlfLineEndingsNameTheRealFileAndLine() throws {
    let error = try expectRefusal(legacy) { root in
      let text = try root.text("/boot/grub/grub.conf").replacingOccurrences(of: "\n", with: "\r\n")
      try root.write("/boot/grub/grub.conf", text)
    }
    #expect(error?.file == "/boot/grub/grub.conf")
    #expect(error?.line == 1, "the first line ending in CRLF, not where the Grub lens stops (hiddenmenu, line 8)")
    #expect(error?.message.contains("CRLF") == true)
    #expect(error?.message.contains("/boot/grub/menu.lst") == true, "the other names of the file are given")
  }

  @Test func aQuotedArgumentWithSpacesOnAKernelLine() throws {
    let error = try expectRefusal(legacy) { root in
      let text = try root.text("/boot/grub/grub.conf")
        .replacingOccurrences(of: "rd_NO_LUKS  LANG", with: "rd_NO_LUKS acpi_osi=\"Windows 2012\" LANG")
      try root.write("/boot/grub/grub.conf", text)
    }
    #expect(error?.file == "/boot/grub/grub.conf")
    #expect(error?.line == 20)
    #expect(error?.message.contains("quoted argument") == true)
    #expect(error?.message.contains("acpi_osi=\"Windows 2012\"") == true)
  }

  @Test func anUnknownLineIsRefusedWithItsLine() throws {
    let error = try expectRefusal(legacy) { root in
      let text = try root.text("/boot/grub/grub.conf")
        .replacingOccurrences(of: "\tchainloader +1\n", with: "\tchainloader +1\n\tfrobnicate --hard\n")
      try root.write("/boot/grub/grub.conf", text)
    }
    #expect(error?.file == "/boot/grub/grub.conf")
    #expect(error?.line == 25)
    #expect(error?.message.contains("unknown line: frobnicate --hard") == true)
    #expect(error?.description.hasPrefix("/boot/grub/grub.conf:25:1: unknown line") == true)
  }

  @Test func anUnknownMenuLineIsRefusedToo() throws {
    let error = try expectRefusal(seed) { root in
      let text = try root.text("/boot/grub/grub.conf").replacingOccurrences(
        of: "hiddenmenu\n", with: "hiddenmenu\nsplash quiet\n")
      try root.write("/boot/grub/grub.conf", text)
    }
    #expect(error?.file == "/boot/grub/grub.conf")
    #expect(error?.line == 14)
  }

  @Test func aQuotedArgumentInABLSOptionsLine() throws {
    let entry = "/boot/loader/entries/5f1c2e3d4b5a69788796a5b4c3d2e1f0-5.14.0-70.13.1.el9_0.x86_64.conf"
    let error = try expectRefusal(bls) { root in
      let text = try root.text(entry).replacingOccurrences(of: " rhgb", with: " acpi_osi=\"Windows 2012\" rhgb")
      try root.write(entry, text)
    }
    #expect(error?.file == entry)
    #expect(error?.line == 5)
    #expect(error?.message.contains("quoted argument") == true)
    #expect(error?.column != nil)
  }

  /// An entry that takes its arguments from grubenv's kernelopts, where grubenv sets none.
  @Test func kerneloptsMissingFromGrubenvIsRefusedWithAnExplanation() throws {
    let entry = "/boot/loader/entries/5f1c2e3d4b5a69788796a5b4c3d2e1f0-0-rescue.conf"
    let error = try expectRefusal(bls) { root in
      let lines = try root.text(entry).split(separator: "\n", omittingEmptySubsequences: false)
      try root.write(
        entry, lines.map { $0.hasPrefix("options ") ? "options $kernelopts" : String($0) }.joined(separator: "\n"))
    }
    #expect(error?.file == entry)
    #expect(error?.line == 5)
    #expect(
      error?.message
        == "options uses $kernelopts, but no grubenv sets kernelopts (looked for /boot/grub2/grubenv, /boot/grub/grubenv): run grub2-mkconfig or grubby once so that it does"
    )
  }

  @Test func aShellQuotedGrub2ValueIsRefused() throws {
    let error = try expectRefusal(debian) { root in
      let text = try root.text("/etc/default/grub")
        .replacingOccurrences(
          of: "GRUB_CMDLINE_LINUX=\"\"", with: "GRUB_CMDLINE_LINUX=\"acpi_osi=\\\"Windows 2012\\\"\"")
      try root.write("/etc/default/grub", text)
    }
    #expect(error?.file == "/etc/default/grub")
    #expect(error?.line == 10)
    #expect(error?.message.contains("quoted argument") == true)
  }

  @Test func aGrub2VariableSetTwiceIsRefused() throws {
    let error = try expectRefusal(debian) { root in
      try root.write("/etc/default/grub", try root.text("/etc/default/grub") + "GRUB_CMDLINE_LINUX=\"quiet\"\n")
    }
    #expect(error?.file == "/etc/default/grub")
    #expect(error?.message.contains("set 2 times") == true)
  }

  @Test func aCRLFGrub2DefaultsFileIsRefused() throws {
    let error = try expectRefusal(debian) { root in
      let text = try root.text("/etc/default/grub").replacingOccurrences(of: "\n", with: "\r\n")
      try root.write("/etc/default/grub", text)
    }
    #expect(error?.file == "/etc/default/grub")
  }

  @Test func defaultSavedCannotSelectTheDefaultEntryAndChangesNothing() throws {
    let root = try FixtureRoot(legacy)
    let text = try root.text("/boot/grub/grub.conf").replacingOccurrences(of: "default=2", with: "default=saved")
    try root.write("/boot/grub/grub.conf", text)
    let editor = try BootLoaderEditor(root: root.path)
    #expect(try editor.entries().filter(\.isDefault).isEmpty)
    let error = #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .default, present: try args("amd_iommu=on"), absent: []))
    }
    #expect(error?.message.contains("default=saved") == true)
    #expect(error?.line == 5)
    #expect(try editor.pendingChanges() == [])
    // All entries still work.
    try editor.ensure(KernelArgsRequest(entries: .all, present: try args("amd_iommu=on"), absent: []))
    #expect(try editor.pendingChanges().count == 1)
  }

  @Test func aDefaultOutOfRangeIsAnError() throws {
    let root = try FixtureRoot(legacy)
    let text = try root.text("/boot/grub/grub.conf").replacingOccurrences(of: "default=2", with: "default=7")
    try root.write("/boot/grub/grub.conf", text)
    let editor = try BootLoaderEditor(root: root.path)
    let error = #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .default, present: try args("amd_iommu=on"), absent: []))
    }
    #expect(error?.message.contains("4 entries") == true)
  }
}
