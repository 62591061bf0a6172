import Foundation
import TestSupport
import Testing

@testable import Augeas

private let seed = "examples/centos6-amd/root"
private let grub = Transform(lens: "Grub.lns", includes: ["/boot/grub/menu.lst"])
private let shellvars = Transform(lens: "Shellvars.lns", includes: ["/etc/ksmtuned.conf"])

@Suite struct AugeasTreeTests {
  @Test func loadsOnlyTheRequestedFilesAndLenses() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [grub])
    #expect(try tree.match("/files//*[label() != '#comment']").count > 0)
    #expect(try tree.match("/augeas/files//path") == ["/augeas/files/boot/grub/menu.lst/path"])
    #expect(try tree.match("/files/etc/*").isEmpty)
  }

  @Test func readsTheSeedKernelLineThroughTheMenuLstSymlink() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [grub])
    let kernel = "/files/boot/grub/menu.lst/title[1]/kernel"
    #expect(try tree.get(kernel) == "/vmlinuz-2.6.32-71.29.1.el6.x86_64")
    #expect(try tree.get(kernel + "/root") == "/dev/mapper/vg_mnss-lv_root")
    #expect(try tree.match(kernel + "/rd_LVM_LV").count == 2)
    #expect(try tree.count(kernel + "/amd_iommu") == 0)
    #expect(try tree.get("/files/boot/grub/menu.lst/default") == "0")
  }

  @Test func previewOfAnUnchangedTreeIsTheFileByteForByte() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [grub, shellvars])
    #expect(try tree.preview(file: "/boot/grub/menu.lst") == root.text("/boot/grub/grub.conf"))
    #expect(try tree.preview(file: "/etc/ksmtuned.conf") == root.text("/etc/ksmtuned.conf"))
  }

  /// A tree its lens cannot write back (a child under a plain variable) is an error naming
  /// the file; reading the problem once took the handle's lock a second time, which is fatal.
  @Test func previewOfATreeTheLensCannotWriteIsAnErrorNamingTheFile() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [shellvars])
    try tree.set("/files/etc/ksmtuned.conf/KSM_MONITOR_INTERVAL/child", "x")
    let error = #expect(throws: AugeasError.self) { try tree.preview(file: "/etc/ksmtuned.conf") }
    #expect(error?.code == .saveFailed)
    #expect(error?.file?.file == "/etc/ksmtuned.conf")
    #expect(error?.file?.kind == "put_failed")
  }

  @Test func savingAnUnchangedTreeWritesNothing() throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let tree = try AugeasTree(root: root.path, transforms: [grub, shellvars])
    #expect(try tree.save() == [])
    #expect(try root.snapshot() == before)
  }

  @Test func previewShowsTheNewTextAndTouchesNothingOnDisk() throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let tree = try AugeasTree(root: root.path, transforms: [grub])
    try tree.set("/files/boot/grub/menu.lst/title[1]/kernel/amd_iommu", "on")
    let text = try tree.preview(file: "/boot/grub/menu.lst")
    let original = try root.text("/boot/grub/grub.conf")
    #expect(text == original.replacingOccurrences(of: "vga=795\n", with: "vga=795 amd_iommu=on\n"))
    #expect(try root.snapshot() == before)
  }

  @Test func saveWritesThroughTheSymlinkAndKeepsLinkAndMode() throws {
    let root = try FixtureRoot(seed)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root.path + "/boot/grub/grub.conf")
    let original = try root.text("/boot/grub/grub.conf")
    let tree = try AugeasTree(root: root.path, transforms: [grub])
    try tree.set("/files/boot/grub/menu.lst/title[1]/kernel/amd_iommu", "on")
    let saved = try tree.save()
    #expect(saved == [SavedFile(path: "/boot/grub/menu.lst", target: "/boot/grub/grub.conf")])
    let link = try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/boot/grub/menu.lst")
    #expect(link == "grub.conf")
    let mode =
      try FileManager.default.attributesOfItem(atPath: root.path + "/boot/grub/grub.conf")[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(
      try root.text("/boot/grub/grub.conf")
        == original.replacingOccurrences(of: "vga=795\n", with: "vga=795 amd_iommu=on\n"))
  }

  @Test func aFileAugeasCannotParseNamesFileLineAndMessageAndStaysIdentical() throws {
    let root = try FixtureRoot(seed)
    let crlf = "default=0\r\ntimeout=5\r\ntitle CentOS\r\n\tkernel /vmlinuz ro\r\n"
    try root.write("/boot/grub/grub.conf", crlf)
    let before = try root.snapshot()
    let error = #expect(throws: AugeasError.self) {
      try AugeasTree(root: root.path, transforms: [grub])
    }
    #expect(error?.code == .parseFailed)
    #expect(error?.file?.file == "/boot/grub/menu.lst")
    #expect(error?.file?.line == 4)
    #expect(error?.file?.message == "Get did not match entire input")
    #expect(
      error?.description.hasPrefix("/boot/grub/menu.lst:4:0: cannot be parsed: Get did not match entire input") == true)
    #expect(try root.snapshot() == before)
  }

  @Test func ksmtunedConfRoundTripsAndSavesAVariable() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [shellvars])
    #expect(try tree.match("/files/etc/ksmtuned.conf/#comment").count == 15)
    try tree.set("/files/etc/ksmtuned.conf/KSM_NPAGES_MAX", "1250")
    #expect(try tree.save().map(\.target) == ["/etc/ksmtuned.conf"])
    let reread = try AugeasTree(root: root.path, transforms: [shellvars])
    #expect(try reread.get("/files/etc/ksmtuned.conf/KSM_NPAGES_MAX") == "1250")
  }

  @Test func parsesAndRendersAKernelCommandLineWithoutAFile() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [])
    let line = "quiet console=tty0 console=ttyS1,115200 root=/dev/sda"
    try tree.parseText(line, lens: "Cmdline.lns", into: "/cmdline")
    #expect(try tree.match("/cmdline/*").count == 4)
    #expect(try tree.get("/cmdline/console[2]") == "ttyS1,115200")
    #expect(try tree.exists("/cmdline/quiet"))
    try tree.set("/cmdline/iommu", "pt")
    #expect(try tree.renderText(lens: "Cmdline.lns", from: "/cmdline", original: line) == line + " iommu=pt")
  }

  @Test func textTheLensRejectsIsATypedError() throws {
    let tree = try AugeasTree(root: "/nonexistent-root", transforms: [])
    let error = #expect(throws: AugeasError.self) {
      try tree.parseText("a=\"b c\"", lens: "Cmdline.lns", into: "/cmdline")
    }
    #expect(error?.code == .textFailed)
    #expect(error?.file?.file == "<text>")
    #expect(error?.file?.message?.isEmpty == false)
  }

  @Test func anInvalidPathExpressionNamesTheOperationAndPath() throws {
    let tree = try AugeasTree(root: "/nonexistent-root", transforms: [])
    let error = #expect(throws: AugeasError.self) { try tree.get("/files/[") }
    #expect(error?.code == .invalidPath)
    #expect(error?.operation == "aug_get")
    #expect(error?.path == "/files/[")
    #expect(error?.description.hasPrefix("aug_get '/files/[' failed: Invalid path expression") == true)
  }

  @Test func getOnSeveralMatchesIsAnErrorNotAGuess() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [grub])
    let error = #expect(throws: AugeasError.self) {
      try tree.get("/files/boot/grub/menu.lst/title[1]/kernel/rd_LVM_LV")
    }
    #expect(error?.code == .multipleMatches)
  }

  @Test func insertMoveRemoveAndSetMultipleChangeTheTree() throws {
    let tree = try AugeasTree(root: "/nonexistent-root", transforms: [])
    try tree.set("/t/a", "1")
    try tree.insert("b", at: "/t/a", before: false)
    try tree.set("/t/b", "2")
    #expect(try tree.match("/t/*") == ["/t/a", "/t/b"])
    #expect(try tree.setMultiple(base: "/t/*", sub: nil, value: "x") == 2)
    try tree.move("/t/b", to: "/t/c")
    #expect(try tree.match("/t/*") == ["/t/a", "/t/c"])
    #expect(try tree.get("/t/c") == "x")
    try tree.clear("/t/a")
    #expect(try tree.get("/t/a") == nil)
    #expect(try tree.remove("/t/*") == 2)
  }

  @Test func childrenGivesEveryLabelAndValueInOrder() throws {
    let root = try FixtureRoot(seed)
    let tree = try AugeasTree(root: root.path, transforms: [grub])
    let kernel = "/files/boot/grub/menu.lst/title[1]/kernel"
    let children = try tree.children(of: kernel)
    #expect(children.count == 13)
    #expect(children.prefix(3).map(\.label) == ["ro", "root", "rd_DM_UUID"])
    #expect(children.prefix(3).map(\.value) == [nil, "/dev/mapper/vg_mnss-lv_root", "ddf1_raid1"])
    #expect(children.last?.label == "vga")
    #expect(children.last?.value == "795")
    #expect(try tree.children(of: kernel + "/ro").isEmpty)
    #expect(try tree.children(of: "/files/nothing").isEmpty)
  }
}
