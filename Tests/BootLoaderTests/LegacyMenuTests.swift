import Augeas
import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// A GRUB legacy file is read as a whole, with a few
/// Augeas evaluations for the file, and edited with a walk from one entry to the next;
/// never by `title[N]`, which Augeas finds by counting every title before it.
@Suite struct LegacyMenuTests {
  static let legacyFixtures = [
    seed, fixtures + "/legacy-multi/root", fixtures + "/xen-dom0-legacy/root",
    fixtures + "/debian-menulst-automagic/root",
  ]

  static func legacy(_ root: FixtureRoot) throws -> GrubLegacy {
    try #require(try BootLoaderKind.read(HostRoot(root.path)) as? GrubLegacy)
  }

  /// The oracle: each entry's Linux node read on its own, by index.
  static func childrenByIndex(_ legacy: GrubLegacy, _ menu: LegacyMenu) throws -> [Int: [String]] {
    let base = legacy.tree.path(of: menu.file)
    var result: [Int: [String]] = [:]
    for index in menu.titles.indices {
      guard let node = menu.linuxNode(index, at: base + "/title[\(index + 1)]") else { continue }
      result[index] = try legacy.tree.augeas.children(of: node).map { "\($0.label)=\($0.value ?? "-")" }
    }
    return result
  }

  @Test(arguments: legacyFixtures)
  func theWholeFileReadGivesWhatAReadEntryByEntryGives(_ fixture: String) throws {
    let root = try FixtureRoot(fixture)
    let legacy = try Self.legacy(root)
    for file in legacy.tree.files {
      let menu = try legacy.menu(file)
      let whole = try #require(try legacy.linuxNodeChildren(menu))
      #expect(
        whole.mapValues { $0.map { "\($0.label)=\($0.value ?? "-")" } } == (try Self.childrenByIndex(legacy, menu)))
      #expect(!whole.isEmpty)
    }
  }

  @Test func theMenuOfTheFourEntryFile() throws {
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    let menu = try Self.legacy(root).menu("/boot/grub/grub.conf")
    #expect(menu.titles.count == 4)
    #expect(menu.titles[3] == "Windows Server 2008")
    #expect(menu.defaultIndex == 2)
    #expect(menu.withoutKernel == [3])
    #expect(menu.hypervisors.isEmpty)
    #expect(menu.linuxNode(3, at: "$t") == nil)
    #expect(menu.linuxNode(0, at: "$t") == "$t/kernel[1]")
  }

  @Test func aXenEntryIsKnownWithItsHypervisor() throws {
    let root = try FixtureRoot(fixtures + "/xen-dom0-legacy/root")
    let legacy = try Self.legacy(root)
    let menu = try legacy.menu(try #require(legacy.tree.files.first))
    #expect(!menu.hypervisors.isEmpty)
    for (index, hypervisor) in menu.hypervisors {
      #expect((hypervisor as NSString).lastPathComponent.hasPrefix("xen"))
      #expect(menu.linuxNode(index, at: "$t") == "$t/module[1]")
    }
  }

  /// An argument labelled `kernel` cannot be told from a kernel line in the whole-file
  /// read: the entries are then read one by one, with the same result.
  @Test func anArgumentNamedKernelIsReadEntryByEntry() throws {
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    let file = "/boot/grub/grub.conf"
    let text = try root.text(file)
    try root.write(file, text.replacingOccurrences(of: "console=tty0 rhgb", with: "console=tty0 kernel=odd rhgb"))
    let legacy = try Self.legacy(root)
    let menu = try legacy.menu(file)
    #expect(try legacy.linuxNodeChildren(menu) == nil)
    let entries = try legacy.entries()
    #expect(
      entries.map { $0.arguments.map(\.description).joined(separator: " ") } == [
        "ro root=/dev/mapper/vg_host-lv_root rd_NO_LUKS LANG=en_US.UTF-8 console=tty0 console=ttyS0,115200 rhgb quiet",
        "ro root=/dev/mapper/vg_host-lv_root rd_NO_LUKS LANG=en_US.UTF-8 console=tty0 kernel=odd rhgb quiet",
        "ro root=/dev/sda2 rd_NO_LUKS LANG=en_US.UTF-8 quiet", "",
      ])
    // The edit takes the same way: every kernel line gets the argument at its end.
    let (changes, _) = try planChanges(
      fixtures + "/legacy-multi/root",
      .init(entries: .all, present: [KernelArgument(key: "amd_iommu", value: "on")], absent: []),
      edit: {
        try $0.write(file, text.replacingOccurrences(of: "console=tty0 rhgb", with: "console=tty0 kernel=odd rhgb"))
      })
    let after = try #require(changes.first { $0.path == file }?.after)
    #expect(
      after.components(separatedBy: "\n").filter { $0.contains("kernel /") }.allSatisfy {
        $0.hasSuffix(" amd_iommu=on")
      })
    #expect(after.components(separatedBy: "\n").filter { $0.contains("kernel=odd") }.count == 1)
  }

  /// GRUB legacy boots the last `kernel` line an entry loads: two in one entry are refused
  /// at the entry's title line (it was an Augeas "2 nodes match" error without a place).
  @Test func anEntryWithTwoKernelLinesIsRefusedAtItsTitle() throws {
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    let file = "/boot/grub/grub.conf"
    try root.write(
      file,
      try root.text(file).replacingOccurrences(
        of: "\tinitrd /initramfs-2.6.32-696.30.1.el6.x86_64.img\n",
        with: "\tinitrd /initramfs-2.6.32-696.30.1.el6.x86_64.img\n\tkernel /vmlinuz-test ro\n"))
    let error = #expect(throws: ConfigFileError.self) { try BootLoaderEditor(root: root.path).entries() }
    #expect(
      error?.description
        == "/boot/grub/grub.conf:13: entry 'CentOS (2.6.32-696.30.1.el6.x86_64)' has 2 kernel lines: GRUB legacy boots the last one it loads; keep one kernel line per entry"
    )
  }

  /// A generated file of many entries: every entry is read, and every one is edited.
  @Test func aLongFileIsReadAndEditedWhole() throws {
    let root = try FixtureRoot(seed)
    var text = "default=0\ntimeout=5\n"
    for index in 0..<300 {
      text +=
        "title Linux \(index)\n\troot (hd0,0)\n\tkernel /vmlinuz-\(index) ro root=/dev/sda1 quiet\n\tinitrd /initrd-\(index)\n"
    }
    try root.write("/boot/grub/grub.conf", text)
    let editor = try BootLoaderEditor(root: root.path)
    let entries = try editor.entries()
    #expect(entries.map(\.title) == (0..<300).map { "Linux \($0)" })
    #expect(entries.allSatisfy { $0.arguments.map(\.description) == ["ro", "root=/dev/sda1", "quiet"] })
    try editor.ensure(.init(entries: .all, present: [KernelArgument(key: "amd_iommu", value: "on")], absent: []))
    #expect(try editor.entries().allSatisfy { $0.arguments.last?.description == "amd_iommu=on" })
    #expect(
      try editor.render("/boot/grub/grub.conf")
        == text.replacingOccurrences(of: "ro root=/dev/sda1 quiet\n", with: "ro root=/dev/sda1 quiet amd_iommu=on\n"))
  }
}
