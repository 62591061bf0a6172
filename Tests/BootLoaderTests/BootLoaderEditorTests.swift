import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

@Suite struct KernelArgumentTests {
  @Test func parsesFlagsAndKeyValues() throws {
    #expect(try KernelArgument(parsing: "quiet") == KernelArgument(key: "quiet", value: nil))
    #expect(try KernelArgument(parsing: "amd_iommu=on") == KernelArgument(key: "amd_iommu", value: "on"))
    #expect(try KernelArgument(parsing: "root=UUID=0b1c-3f4e") == KernelArgument(key: "root", value: "UUID=0b1c-3f4e"))
    #expect(try KernelArgument(parsing: "rd.lvm.lv=rhel/root").description == "rd.lvm.lv=rhel/root")
    #expect(try KernelArgument(parsing: "console=ttyS1,115200").description == "console=ttyS1,115200")
    #expect(try KernelArgument(parsing: "crashkernel=1G-4G:192M,4G-:256M").value == "1G-4G:192M,4G-:256M")
    #expect(KernelArgument(key: "quiet", value: nil).description == "quiet")
  }

  @Test func aRunningCommandLineWordIsReadAsItIs() {
    #expect(
      KernelArgument(word: "BOOT_IMAGE=(hd0,msdos1)/vmlinuz")
        == KernelArgument(key: "BOOT_IMAGE", value: "(hd0,msdos1)/vmlinuz"))
    #expect(KernelArgument(word: "ro") == KernelArgument(key: "ro", value: nil))
    // What virthost would refuse to write is still read: the key is what a request matches.
    #expect(KernelArgument(word: "acpi_osi=$x") == KernelArgument(key: "acpi_osi", value: "$x"))
    #expect(throws: ConfigFileError.self) { try KernelArgument(parsing: "acpi_osi=$x") }
  }

  @Test(arguments: [
    ("", "empty"), ("a b", "whitespace"), ("quiet\n", "whitespace"), ("x\u{0}", "control"),
    ("acpi_osi=\"Windows\"", "quote"), ("a='b'", "quote"), ("=on", "empty key"), ("quiet=", "empty value"),
    ("a$b=1", "invalid key"), ("-x", "invalid key"), ("k=$(reboot)", "'$'"), ("k=a;b", "';'"), ("k=a\\b", "'\\'"),
  ])
  func refusesWhatCannotBeWrittenSafely(_ text: String, _ reason: String) {
    let error = #expect(throws: ConfigFileError.self) { try KernelArgument(parsing: text) }
    #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
  }

  @Test func aRequestBothPresentAndAbsentIsRefused() throws {
    let root = try FixtureRoot(seed)
    let editor = try BootLoaderEditor(root: root.path)
    for absent in ["quiet", "quiet"] {
      let error = #expect(throws: EditorError.self) {
        try editor.ensure(KernelArgsRequest(entries: .all, present: try args("quiet"), absent: try args(absent)))
      }
      #expect(error?.message.contains("both present and absent") == true)
    }
    // A different value of the key is fine: present gives the exact list.
    try editor.ensure(
      KernelArgsRequest(entries: .all, present: try args("console=ttyS0"), absent: try args("console=tty0")))
    // An argument built without parsing is checked too.
    #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .all, present: [KernelArgument(key: "a b", value: nil)], absent: []))
    }
  }
}

@Suite struct DetectionTests {
  @Test(arguments: [
    (seed, BootLoaderKind.grubLegacy), (fixtures + "/legacy-multi/root", .grubLegacy),
    (fixtures + "/grub2-debian/root", .grub2), (fixtures + "/grub2-rhel7/root", .grub2),
    (fixtures + "/bls-rhel9/root", .bls),
  ])
  func detectsEachFixture(_ fixture: String, _ kind: BootLoaderKind) throws {
    let root = try FixtureRoot(fixture)
    #expect(try BootLoaderKind.detect(in: HostRoot(root.path)) == kind)
    #expect(try BootLoaderEditor(root: root.path).kind == kind)
  }

  @Test func noBootLoaderIsAClearError() throws {
    let root = try FixtureRoot(seed)
    try FileManager.default.removeItem(atPath: root.path + "/boot/grub")
    try FileManager.default.removeItem(atPath: root.path + "/etc/grub.conf")
    let error = #expect(throws: EditorError.self) { try BootLoaderEditor(root: root.path) }
    #expect(error?.message.contains("no boot loader configuration found") == true)
  }

  @Test func aLeftoverMenuLstBesideGrub2IsAConflict() throws {
    let root = try FixtureRoot(fixtures + "/grub2-debian/root")
    try root.write("/boot/grub/menu.lst", "default=0\ntitle Old\n\tkernel /vmlinuz ro\n")
    let error = #expect(throws: ConfigFileError.self) { try BootLoaderKind.detect(in: HostRoot(root.path)) }
    #expect(error?.message.contains("several boot loader configurations") == true)
    #expect(error?.message.contains("grub-legacy (/boot/grub/menu.lst)") == true)
    #expect(error?.message.contains("grub2 (/etc/default/grub)") == true)
    // Naming the kind explicitly works.
    #expect(try BootLoaderEditor(root: root.path, kind: .grub2).kind == .grub2)
  }

  @Test func blsEntriesThatGrubDoesNotReadAreAConflict() throws {
    let root = try FixtureRoot(fixtures + "/bls-rhel9/root")
    let text = try root.text("/etc/default/grub").replacingOccurrences(of: "GRUB_ENABLE_BLSCFG=true\n", with: "")
    try root.write("/etc/default/grub", text)
    let error = #expect(throws: ConfigFileError.self) { try BootLoaderKind.detect(in: HostRoot(root.path)) }
    #expect(error?.message.contains("GRUB_ENABLE_BLSCFG") == true)
  }

  @Test func anAbsoluteSymlinkStaysInsideTheRoot() throws {
    // /etc/grub.conf -> /boot/grub/grub.conf (absolute): resolved in the root, never on the live host.
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    let editor = try BootLoaderEditor(root: root.path)
    #expect(editor.sourceFiles == ["/boot/grub/grub.conf"], "three names, one file, loaded once")
  }
}

@Suite struct EntriesTests {
  /// Facts and edits parse with one parser: what HostConfig reads is what the editor starts from.
  @Test(arguments: [
    seed, fixtures + "/legacy-multi/root", fixtures + "/grub2-debian/root", fixtures + "/grub2-rhel7/root",
    fixtures + "/bls-rhel9/root",
  ])
  func theReaderAndTheEditorSeeTheSameEntries(_ fixture: String) throws {
    let root = try FixtureRoot(fixture)
    let configuration = try BootLoaderKind.read(HostRoot(root.path))
    let editor = try BootLoaderEditor(root: root.path)
    #expect(type(of: configuration).kind == editor.kind)
    #expect(configuration.sourceFiles == editor.sourceFiles)
    #expect(try configuration.entries() == editor.entries())
  }

  @Test func legacyEntriesDefaultAndChainloader() throws {
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    let entries = try BootLoaderEditor(root: root.path).entries()
    #expect(entries.map(\.index) == [0, 1, 2, 3])
    #expect(entries.map(\.isDefault) == [false, false, true, false])
    #expect(entries[2].title == "CentOS (2.6.32-642.el6.x86_64)")
    #expect(
      entries[2].arguments.map(\.description) == ["ro", "root=/dev/sda2", "rd_NO_LUKS", "LANG=en_US.UTF-8", "quiet"])
    #expect(entries[3].title == "Windows Server 2008")
    #expect(entries[3].arguments == [])
    #expect(Set(entries.map(\.file)) == ["/boot/grub/grub.conf"])
  }

  @Test func seedEntryReadThroughTheSymlink() throws {
    let root = try FixtureRoot(seed)
    let editor = try BootLoaderEditor(root: root.path)
    #expect(editor.kind == .grubLegacy)
    #expect(editor.sourceFiles == ["/boot/grub/grub.conf"])
    let entries = try editor.entries()
    #expect(entries.count == 1)
    #expect(entries[0].isDefault)
    #expect(entries[0].arguments.filter { $0.key == "rd_LVM_LV" }.count == 2)
    #expect(entries[0].arguments.last?.description == "vga=795")
    #expect(editor.regeneration() == nil)
  }

  @Test func aDefaultChainloaderEntryGetsNoKernelLine() throws {
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    let text = try root.text("/boot/grub/grub.conf").replacingOccurrences(of: "default=2", with: "default=3")
    try root.write("/boot/grub/grub.conf", text)
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(KernelArgsRequest(entries: .default, present: try args("amd_iommu=on"), absent: []))
    #expect(try editor.pendingChanges() == [])
    #expect(editor.changedFiles() == [])
  }

  @Test func grub2EntriesSummariseTheTwoVariables() throws {
    let root = try FixtureRoot(fixtures + "/grub2-debian/root")
    let editor = try BootLoaderEditor(root: root.path)
    let entries = try editor.entries()
    #expect(entries.count == 2)
    #expect(entries[0].isDefault && entries[0].arguments.map(\.description) == ["quiet"])
    #expect(!entries[1].isDefault && entries[1].arguments.isEmpty)
    try editor.ensure(KernelArgsRequest(entries: .all, present: try args("iommu=pt"), absent: []))
    #expect(try editor.entries()[0].arguments.map(\.description) == ["iommu=pt", "quiet"])
  }

  @Test func blsEntriesInMenuOrderWithTheSavedDefault() throws {
    let root = try FixtureRoot(fixtures + "/bls-rhel9/root")
    let editor = try BootLoaderEditor(root: root.path)
    let entries = try editor.entries()
    #expect(entries.map(\.title).first == "Red Hat Enterprise Linux (5.14.0-362.8.1.el9_3.x86_64) 9.3 (Plow)")
    #expect(entries.map(\.title).last?.contains("0-rescue") == true)
    #expect(
      entries.filter(\.isDefault).map(\.title) == ["Red Hat Enterprise Linux (5.14.0-70.13.1.el9_0.x86_64) 9.0 (Plow)"])
    #expect(entries[0].arguments.count == 8)
    #expect(editor.sourceFiles.contains("/etc/kernel/cmdline"))
    #expect(editor.sourceFiles.contains("/boot/grub2/grubenv"))
  }

  @Test func blsWithoutSavedEntryDefaultsToTheNewest() throws {
    let root = try FixtureRoot(fixtures + "/bls-rhel9/root")
    try FileManager.default.removeItem(atPath: root.path + "/boot/grub2/grubenv")
    let entries = try BootLoaderEditor(root: root.path).entries()
    #expect(entries.filter(\.isDefault).map(\.index) == [0])
  }

  @Test func grub2DefaultRefusesWhatGrubCmdlineLinuxSetsForEveryEntry() throws {
    let root = try FixtureRoot(fixtures + "/grub2-rhel7/root")
    let editor = try BootLoaderEditor(root: root.path)
    let error = #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .default, present: [], absent: try args("rhgb")))
    }
    #expect(error?.message.contains("GRUB_CMDLINE_LINUX") == true)
    #expect(error?.line == 6)
    #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .default, present: try args("crashkernel=256M"), absent: []))
    }
    // Already satisfied by GRUB_CMDLINE_LINUX: nothing to do.
    try editor.ensure(KernelArgsRequest(entries: .default, present: try args("quiet"), absent: []))
    #expect(try editor.pendingChanges() == [])
  }

  @Test func removingEveryArgumentOfABLSEntryDropsItsOptionsLine() throws {
    let root = try FixtureRoot(fixtures + "/bls-rhel9/root")
    let editor = try BootLoaderEditor(root: root.path)
    let all = try editor.entries()[0].arguments.map { KernelArgument(key: $0.key, value: nil) }
    try editor.ensure(KernelArgsRequest(entries: .all, present: [], absent: all))
    let changes = try editor.pendingChanges()
    #expect(changes.count == 4)
    #expect(changes.allSatisfy { !($0.after ?? "").contains("options") })
  }
}

@Suite struct RegenerationTests {
  let change = KernelArgsRequest(entries: .all, present: [KernelArgument(key: "amd_iommu", value: "on")], absent: [])

  @Test func debianRegeneratesItsOneCfgAndLeavesTheEFIStubAlone() throws {
    let root = try FixtureRoot(fixtures + "/grub2-debian/root")
    let editor = try BootLoaderEditor(root: root.path)
    #expect(editor.regeneration() == nil, "nothing changed")
    let expected = Regeneration(program: "grub-mkconfig", outputs: ["/boot/grub/grub.cfg"])
    #expect(editor.regenerationCommand() == expected, "what a change would run")
    try editor.ensure(change)
    #expect(editor.regeneration() == expected, "shown in the plan")
    #expect(expected.command == ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"])
    #expect(try editor.pendingChanges().map(\.path) == ["/etc/default/grub"])
  }

  @Test func rhel7RegeneratesTheBIOSAndEFICopiesResolvedOnce() throws {
    let root = try FixtureRoot(fixtures + "/grub2-rhel7/root")
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(change)
    #expect(
      editor.regeneration()
        == Regeneration(program: "grub2-mkconfig", outputs: ["/boot/grub2/grub.cfg", "/boot/efi/EFI/centos/grub.cfg"]))
    #expect(editor.regeneration()?.command == ["grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"])
  }

  @Test func withoutAnyGrubCfgTheDistributionsUsualOneIsRegenerated() throws {
    let root = try FixtureRoot(fixtures + "/grub2-rhel7/root")
    try FileManager.default.removeItem(atPath: root.path + "/boot/grub2/grub.cfg")
    try FileManager.default.removeItem(atPath: root.path + "/boot/efi/EFI/centos/grub.cfg")
    let editor = try BootLoaderEditor(root: root.path)
    #expect(editor.regenerationCommand() == Regeneration(program: "grub2-mkconfig", outputs: ["/boot/grub2/grub.cfg"]))
  }

  @Test func otherKindsNeedNoRegeneration() throws {
    for fixture in [fixtures + "/bls-rhel9/root", fixtures + "/legacy-multi/root"] {
      let root = try FixtureRoot(fixture)
      let editor = try BootLoaderEditor(root: root.path)
      try editor.ensure(change)
      #expect(try !editor.pendingChanges().isEmpty)
      #expect(editor.regeneration() == nil)
      #expect(editor.regenerationCommand() == nil)
    }
  }
}
