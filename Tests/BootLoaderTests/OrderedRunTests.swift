import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// An ordered run of kernel arguments (`hugepagesz=1G hugepages=8 hugepagesz=2M
/// hugepages=512`, each count belonging to the size before it) stays together and in order
/// on every boot-loader format, where the per-key model would put both sizes first.
@Suite struct OrderedRunTests {
  static let run = ["hugepagesz=1G", "hugepages=8", "hugepagesz=2M", "hugepages=512"]

  static func request(present: [String] = []) throws -> KernelArgsRequest {
    KernelArgsRequest(
      entries: .all, present: try present.map { try KernelArgument(parsing: $0) }, absent: [],
      groups: [try run.map { try KernelArgument(parsing: $0) }])
  }

  @Test func grubLegacyKernelLinesGetTheRunInOrder() throws {
    let (changes, _) = try planChanges(fixtures + "/legacy-multi/root", try Self.request())
    let conf = try #require(changes.first { $0.path == "/boot/grub/grub.conf" }?.after)
    #expect(
      conf.contains(
        "kernel /vmlinuz-2.6.32-754.35.1.el6.x86_64 ro root=/dev/mapper/vg_host-lv_root rd_NO_LUKS LANG=en_US.UTF-8 "
          + "console=tty0 console=ttyS0,115200 rhgb quiet hugepagesz=1G hugepages=8 hugepagesz=2M hugepages=512\n"))
  }

  @Test func grub2DefaultsGetTheRunAfterTheArgumentsAskedAlone() throws {
    let (changes, _) = try planChanges(fixtures + "/debian12/root", try Self.request(present: ["iommu=pt"]))
    let grub = try #require(changes.first { $0.path == "/etc/default/grub" }?.after)
    #expect(grub.contains("GRUB_CMDLINE_LINUX=\"iommu=pt hugepagesz=1G hugepages=8 hugepagesz=2M hugepages=512\"\n"))
  }

  @Test func aRunAlreadyInPlaceIsLeftAloneAndAScatteredOneIsGathered() throws {
    let (kept, _) = try planChanges(fixtures + "/debian12/root", try Self.request()) { root in
      let text = try root.text("/etc/default/grub").replacingOccurrences(
        of: "GRUB_CMDLINE_LINUX=\"\"",
        with: "GRUB_CMDLINE_LINUX=\"a=1 hugepagesz=1G hugepages=8 hugepagesz=2M hugepages=512 b=2\"")
      try root.write("/etc/default/grub", text)
    }
    #expect(kept.isEmpty)
    let (gathered, _) = try planChanges(fixtures + "/debian12/root", try Self.request()) { root in
      let text = try root.text("/etc/default/grub").replacingOccurrences(
        of: "GRUB_CMDLINE_LINUX=\"\"", with: "GRUB_CMDLINE_LINUX=\"a=1 hugepages=4 b=2 hugepagesz=2M\"")
      try root.write("/etc/default/grub", text)
    }
    let grub = try #require(gathered.first { $0.path == "/etc/default/grub" }?.after)
    #expect(
      grub.contains("GRUB_CMDLINE_LINUX=\"a=1 hugepagesz=1G hugepages=8 hugepagesz=2M hugepages=512 b=2\"\n"))
  }

  @Test func aKeyAskedAloneAndInARunIsRefused() throws {
    let root = try FixtureRoot(fixtures + "/debian12/root")
    let editor = try BootLoaderEditor(root: root.path)
    let error = #expect(throws: EditorError.self) { try editor.ensure(try Self.request(present: ["hugepages=4"])) }
    #expect(error?.message == "kernel argument 'hugepages=4' is asked alone and in an ordered run of its key")
  }
}
