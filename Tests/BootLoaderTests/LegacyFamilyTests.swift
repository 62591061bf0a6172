import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Debian's AUTOMAGIC `menu.lst` (case 3) and Xen dom0
/// entries (case 4). Each expected text is the fixture's with exactly the lines named.
/// The planned changes of `request` on a copy of `fixture` (changed first by `edit`), with the copy.
func planChanges(_ fixture: String, _ request: KernelArgsRequest, edit: ((FixtureRoot) throws -> Void)? = nil)
  throws -> ([FileChange], FixtureRoot)
{
  let root = try FixtureRoot(fixture)
  try edit?(root)
  let editor = try BootLoaderEditor(root: root.path)
  try editor.ensure(request)
  return (try editor.pendingChanges(), root)
}

@Suite struct LegacyFamilyTests {
  static let automagic = fixtures + "/debian-menulst-automagic/root"
  static let xen = fixtures + "/xen-dom0-legacy/root"
  static let menu = "/boot/grub/menu.lst"

  static func plan(_ fixture: String, _ request: KernelArgsRequest, edit: ((FixtureRoot) throws -> Void)? = nil)
    throws -> ([FileChange], FixtureRoot)
  {
    try planChanges(fixture, request, edit: edit)
  }

  /// `text` with each pair's first line replaced by its second (each must be there once).
  static func replacing(_ text: String, _ lines: [(String, String)]) -> String {
    var result = text
    for (old, new) in lines {
      #expect(result.components(separatedBy: old + "\n").count == 2, "\(old) is in the fixture once")
      result = result.replacingOccurrences(of: old + "\n", with: new + "\n")
    }
    return result
  }

  static let uuid = "root=UUID=2f0e9c3a-7b1d-4e5f-8a6b-9c0d1e2f3a4b"

  @Test func automagicAllEditsKoptAndEveryKernelLineSoThatUpdateGrubKeepsIt() throws {
    let (changes, root) = try Self.plan(
      Self.automagic, .init(entries: .all, present: try args("amd_iommu=on"), absent: []))
    let expected = Self.replacing(
      try root.text(Self.menu),
      [
        ("# kopt=\(Self.uuid) ro", "# kopt=\(Self.uuid) ro amd_iommu=on"),
        (
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro quiet",
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro quiet amd_iommu=on"
        ),
        (
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro single",
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro single amd_iommu=on"
        ),
      ])
    #expect(changes.map(\.path) == [Self.menu])
    #expect(changes.first?.after == expected)
    try write(changes, under: root)
    let again = try BootLoaderEditor(root: root.path)
    try again.ensure(.init(entries: .all, present: try args("amd_iommu=on"), absent: []))
    #expect(try again.pendingChanges().isEmpty, "a second plan is empty")
  }

  @Test func automagicAllTakesTheRequestedKeysOffDefoptionsAndXenkopt() throws {
    let (changes, root) = try Self.plan(
      Self.automagic, .init(entries: .all, present: try args("console=ttyS0"), absent: try args("quiet")))
    let expected = Self.replacing(
      try root.text(Self.menu),
      [
        ("# kopt=\(Self.uuid) ro", "# kopt=\(Self.uuid) ro console=ttyS0"),
        ("# defoptions=quiet", "# defoptions="),
        ("# xenkopt=console=tty0", "# xenkopt="),
        (
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro quiet",
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro console=ttyS0"
        ),
        (
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro single",
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro single console=ttyS0"
        ),
      ])
    #expect(changes.first?.after == expected)
  }

  @Test func automagicDefaultEditsDefoptionsAndTheNormalEntriesOnly() throws {
    let (changes, root) = try Self.plan(
      Self.automagic, .init(entries: .default, present: try args("amd_iommu=on"), absent: []))
    let expected = Self.replacing(
      try root.text(Self.menu),
      [
        ("# defoptions=quiet", "# defoptions=quiet amd_iommu=on"),
        (
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro quiet",
          "kernel\t\t/boot/vmlinuz-2.6.32-5-amd64 \(Self.uuid) ro quiet amd_iommu=on"
        ),
      ])
    #expect(changes.first?.after == expected)
  }

  @Test func automagicDefaultRefusesWhatKoptSetsForEveryEntry() throws {
    let error = #expect(throws: EditorError.self) {
      _ = try Self.plan(Self.automagic, .init(entries: .default, present: [], absent: try args("ro")))
    }
    #expect(
      error?.description
        == "/boot/grub/menu.lst:36: 'ro' stands in '# kopt=', which applies to every entry: select all entries to remove it"
    )
  }

  @Test func perVersionKoptIsRefusedByName() throws {
    let error = #expect(throws: EditorError.self) {
      _ = try Self.plan(Self.automagic, .init(entries: .all, present: try args("amd_iommu=on"), absent: [])) { root in
        let text = try root.text(Self.menu)
        try root.write(
          Self.menu,
          text.replacingOccurrences(
            of: "# kopt=\(Self.uuid) ro\n", with: "# kopt=\(Self.uuid) ro\n# kopt_2_6_32=root=/dev/sda1 ro\n"))
      }
    }
    #expect(
      error?.description
        == "/boot/grub/menu.lst:37:1: per-version kernel options 'kopt_2_6_32' in the AUTOMAGIC block: update-grub uses them instead of kopt for that kernel, and the Grub lens cannot parse them; merge them into '# kopt=' (or remove them) and plan again"
    )
  }

  @Test func xenDom0ArgumentsGoOnTheModuleLineNeverOnTheHypervisorLine() throws {
    let file = "/boot/grub/grub.conf"
    let (changes, root) = try Self.plan(Self.xen, .init(entries: .all, present: try args("amd_iommu=on"), absent: []))
    let expected = Self.replacing(
      try root.text(file),
      [
        (
          "\tmodule /vmlinuz-2.6.18-419.el5xen ro root=/dev/VolGroup00/LogVol00 rhgb quiet",
          "\tmodule /vmlinuz-2.6.18-419.el5xen ro root=/dev/VolGroup00/LogVol00 rhgb quiet amd_iommu=on"
        ),
        (
          "\tkernel /vmlinuz-2.6.18-419.el5 ro root=/dev/VolGroup00/LogVol00 rhgb quiet",
          "\tkernel /vmlinuz-2.6.18-419.el5 ro root=/dev/VolGroup00/LogVol00 rhgb quiet amd_iommu=on"
        ),
      ])
    #expect(changes.map(\.path) == [file])
    #expect(changes.first?.after == expected)
    let entries = try BootLoaderEditor(root: root.path).entries()
    #expect(entries.map(\.hypervisor) == ["/xen.gz-2.6.18-419.el5", nil])
    #expect(entries.first?.arguments.map(\.description) == ["ro", "root=/dev/VolGroup00/LogVol00", "rhgb", "quiet"])
  }
}
