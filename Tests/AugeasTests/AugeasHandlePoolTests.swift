import Foundation
import TestSupport
import Testing

@testable import Augeas

private let seed = "examples/centos6-amd/root"
private let grub = Transform(lens: "Grub.lns", includes: ["/boot/grub/menu.lst"])
private let kernel = "/files/boot/grub/menu.lst/title[1]/kernel"

/// Trees that share compiled lenses through a pool see each root's files, and
/// only those, as with handles of their own.
@Suite struct AugeasHandlePoolTests {
  @Test func aTreeTakesOverTheHandleOfTheLastAndSeesOnlyItsOwnRoot() throws {
    let first = try FixtureRoot(seed)
    let second = try FixtureRoot(seed)
    try second.write("/boot/grub/grub.conf", "default=0\ntitle Other\n\tkernel /vmlinuz-other ro quiet\n")
    let pool = AugeasHandlePool()
    try pool.run {
      do {
        let tree = try AugeasTree(root: first.path, transforms: [grub])
        #expect(try tree.get(kernel + "/root") == "/dev/mapper/vg_mnss-lv_root")
      }
      #expect(pool.idleCount == 1)
      let tree = try AugeasTree(root: second.path + "/", transforms: [grub])
      #expect(pool.idleCount == 0)
      #expect(try tree.get(kernel) == "/vmlinuz-other")
      // One title: Augeas leaves the index out of the paths it returns.
      let single = "/files/boot/grub/menu.lst/title/kernel"
      #expect(try tree.match(kernel + "/*") == [single + "/ro", single + "/quiet"])
      #expect(try tree.match("/augeas/files//path") == ["/augeas/files/boot/grub/menu.lst/path"])
      #expect(try tree.match("/files/*") == ["/files/boot"])
      #expect(try tree.count(kernel + "/root") == 0)
    }
    #expect(pool.idleCount == 1)
  }

  @Test func aPooledTreeSavesIntoItsRootAndRereadsAFileChangedInTheSameSecond() throws {
    let root = try FixtureRoot(seed)
    let other = try FixtureRoot(seed)
    let untouched = try other.snapshot()
    let pool = AugeasHandlePool()
    try pool.run {
      do {
        let tree = try AugeasTree(root: root.path, transforms: [grub])
        try tree.set(kernel + "/amd_iommu", "on")
        #expect(try tree.save() == [SavedFile(path: "/boot/grub/menu.lst", target: "/boot/grub/grub.conf")])
      }
      #expect(try root.text("/boot/grub/grub.conf").contains("crashkernel=512M vga=795 amd_iommu=on\n"))
      try root.write("/boot/grub/grub.conf", "title Changed\n\tkernel /vmlinuz-changed\n")
      #expect(pool.idleCount == 1)
      let again = try AugeasTree(root: root.path, transforms: [grub])
      #expect(pool.idleCount == 0)
      #expect(try again.get(kernel) == "/vmlinuz-changed")
    }
    #expect(try other.snapshot() == untouched)
  }

  @Test func aParseErrorNamesTheFileFromTheRoot() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", "KSM_NPAGES_MAX=\"unterminated\n")
    let shellvars = Transform(lens: "Shellvars.lns", includes: ["/etc/ksmtuned.conf"])
    let error = AugeasHandlePool().run { () -> AugeasError? in
      do {
        _ = try AugeasTree(root: root.path, transforms: [shellvars])
        return nil
      } catch {
        return error as? AugeasError
      }
    }
    #expect(error?.code == .parseFailed)
    #expect(error?.path == "/files/etc/ksmtuned.conf")
    #expect(error?.file?.file == "/etc/ksmtuned.conf")
  }

  @Test func aRootThatPathsWouldHaveToEscapeGetsAHandleOfItsOwn() throws {
    #expect(AugeasTree.poolPrefix("/") == "")
    #expect(AugeasTree.poolPrefix("/tmp/virthost-test-1/root/") == "/tmp/virthost-test-1/root")
    #expect(AugeasTree.poolPrefix("/tmp/with space/root") == nil)
    #expect(AugeasTree.poolPrefix("/tmp/a[1]") == nil)
    #expect(AugeasTree.poolPrefix("/tmp/../etc") == nil)
    #expect(AugeasTree.poolPrefix("relative/root") == nil)
    let pool = AugeasHandlePool()
    let root = try FixtureRoot(seed)
    let spaced = URL(fileURLWithPath: root.path).deletingLastPathComponent().appendingPathComponent("with space").path
    try FileManager.default.copyItem(atPath: root.path, toPath: spaced)
    try pool.run {
      let tree = try AugeasTree(root: spaced, transforms: [grub])
      #expect(try tree.get(kernel + "/root") == "/dev/mapper/vg_mnss-lv_root")
    }
    #expect(pool.idleCount == 0)
  }
}
