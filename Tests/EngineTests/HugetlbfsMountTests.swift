import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

@testable import Engine

/// Issue 35: `hugepages.mounts: auto` on the two-node example root (default page size 2M,
/// pdpe1gb): a mount unit per pool of another size, enabled, removed with the pool, and the
/// mount `/proc/mounts` shows judged against it.
@Suite struct HugetlbfsMountTests {
  static let unit = "/etc/systemd/system/dev-hugepages1G.mount"
  static let wants = "/etc/systemd/system/sysinit.target.wants/dev-hugepages1G.mount"
  static let spec = "hugepages:\n  size: 1G\n  count: {0: 4, 1: 4}\n"
  static let group = "root:x:0:\nkvm:x:104:\nlibvirt-qemu:x:64055:libvirt-qemu\n"

  /// The unit for a 1G pool with the QEMU group 64055, byte for byte.
  static let expected = """
    # Written by virthost (hugepages.mounts: auto); removed when the 1G pool goes.
    [Unit]
    Description=Huge pages of 1G for QEMU guests (hugetlbfs, virthost)
    Documentation=https://docs.kernel.org/admin-guide/mm/hugetlbpage.html
    DefaultDependencies=no
    Before=sysinit.target libvirtd.service virtqemud.service
    ConditionPathExists=/sys/kernel/mm/hugepages/hugepages-1048576kB

    [Mount]
    What=hugetlbfs
    Where=/dev/hugepages1G
    Type=hugetlbfs
    Options=pagesize=1G,mode=01770,gid=64055

    [Install]
    WantedBy=sysinit.target

    """

  private func host() throws -> ExampleHost {
    let host = try ExampleHost("numa-pinned")
    try host.root.write("/etc/group", Self.group)
    try host.root.write("/etc/debian_version", "12.12\n")
    return host
  }

  @Test func aPoolOfAnotherSizeThanTheDefaultGetsAMountUnitEnabledAndThenNothing() throws {
    let host = try host()
    let plan = try host.plan(Self.spec)
    #expect(!plan.hasErrors, "\(plan.diagnostics.map(\.summary))")
    let file = try #require(plan.changes.first { $0.address == ResourceAddress(.file, Self.unit) })
    #expect(file.actions == [.create] && file.origins == ["hugepages.mounts"])
    #expect(file.files.first?.after == Data(Self.expected.utf8))
    let service = try #require(
      plan.changes.first { $0.address == ResourceAddress(.service, "dev-hugepages1G.mount") })
    #expect(service.actions == [.enable])
    _ = try host.engine.apply(plan)
    #expect(try host.root.text(Self.unit) == Self.expected)
    #expect(host.root.host.linkText(Self.wants) == "/etc/systemd/system/dev-hugepages1G.mount")
    #expect(try host.plan(Self.spec).pendingChanges.allSatisfy { $0.address.kind == .bootLoaderRegeneration })
  }

  @Test func theDefaultSizeGetsNoMountOfVirthosts() throws {
    let host = try host()
    let plan = try host.plan("hugepages:\n  size: 1G\n  count: 8\n  default_size: 1G\n")
    #expect(!plan.changes.contains { $0.address == ResourceAddress(.file, Self.unit) })
    let none = try host.plan(Self.spec + "  mounts: none\n")
    #expect(!none.changes.contains { $0.address == ResourceAddress(.file, Self.unit) })
  }

  @Test func theUnitAndItsLinkAreRemovedWhenThePoolGoes() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan(Self.spec))
    let plan = try host.plan("hugepages: none\n")
    let file = try #require(plan.changes.first { $0.address == ResourceAddress(.file, Self.unit) })
    #expect(file.actions == [.delete])
    _ = try host.engine.apply(plan)
    #expect(!host.root.host.exists(Self.unit) && !host.root.host.exists(Self.wants))
    #expect(!(try host.plan("hugepages: none\n")).changes.contains { $0.address == ResourceAddress(.file, Self.unit) })
  }

  @Test func aUnitOfThatNameVirthostDidNotWriteIsLeftAloneWithAnError() throws {
    let host = try host()
    try host.root.write(Self.unit, "[Mount]\nWhat=hugetlbfs\nWhere=/dev/hugepages1G\n")
    let plan = try host.plan(Self.spec)
    #expect(
      plan.diagnostics.filter { $0.severity == .error }.map(\.summary) == [
        "/etc/systemd/system/dev-hugepages1G.mount exists and was not written by virthost: left alone",
        "dev-hugepages1G.mount has no [Install] section (WantedBy=, RequiredBy=, Alias=, Also=): systemctl enable "
          + "cannot enable it",
      ])
    #expect(!plan.changes.contains { $0.address == ResourceAddress(.file, Self.unit) })
  }

  @Test func aMountWithOtherOptionsIsDriftedNamingEachDifference() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan(Self.spec))
    try host.root.write(
      "/proc/mounts",
      "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n"
        + "hugetlbfs /dev/hugepages1G hugetlbfs rw,relatime,pagesize=2M 0 0\n")
    let drifted = try host.plan(Self.spec).diagnostics.filter { $0.code == .effectDiffers }
    #expect(
      drifted.map(\.summary) == [
        "the mount at /dev/hugepages1G differs from dev-hugepages1G.mount: pagesize=2M, not 1G, gid=0, not 64055, "
          + "mode=755, not 1770 (/proc/mounts)"
      ])
    try host.root.write(
      "/proc/mounts", "hugetlbfs /dev/hugepages1G hugetlbfs rw,relatime,gid=64055,mode=1770,pagesize=1024M 0 0\n")
    #expect(try host.plan(Self.spec).diagnostics.filter { $0.code == .effectDiffers }.isEmpty)
  }

  @Test func withoutTheQemuGroupTheMountStaysRootsWithAWarning() throws {
    let host = try ExampleHost("numa-pinned")
    let plan = try host.plan(Self.spec)
    let file = try #require(plan.changes.first { $0.address == ResourceAddress(.file, Self.unit) })
    #expect(
      file.files.first?.after
        == Data(Self.expected.replacingOccurrences(of: ",mode=01770,gid=64055", with: "").utf8))
    #expect(
      plan.diagnostics.map(\.summary).contains(
        "the QEMU group libvirt-qemu is not in /etc/group: the hugetlbfs mounts stay root's (mode 0755)"))
  }

  @Test func mountsIsAChoiceRefusedAtItsLine() throws {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("hugepages:\n  size: 1G\n  count: 1\n  mounts: always\n", file: "h.yaml")
    }
    #expect(error?.diagnostics.map { $0.location?.description ?? "-" } == ["h.yaml:4:11"])
  }
}

/// Issue 35: whether Debian 12's AppArmor abstraction for QEMU domains lets a domain use a
/// hugetlbfs mount other than `/dev/hugepages`, read on the file the package ships.
@Suite struct LibvirtAppArmorTests {
  @Test func debiansQemuAbstractionNamesNoHugetlbfsPathSoAnotherMountNeedsNoLocalRule() throws {
    let abstraction = try String(
      contentsOf: OracleRoot.packages.appendingPathComponent(
        "libvirt-daemon-system/etc/apparmor.d/abstractions/libvirt-qemu"),
      encoding: .utf8)
    let rules = abstraction.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    // Not even systemd's /dev/hugepages: libvirt adds "<mount>/libvirt/qemu/<domain>/{,**}" to
    // each domain's own profile when it starts, whichever hugetlbfs mount backs it.
    #expect(!rules.contains { $0.contains("hugepages") || $0.contains("hugetlbfs") })
    #expect(abstraction.contains("#include <local/abstractions/libvirt-qemu>"))
  }

  /// A page size no Int holds in KiB (only a planted mount table has one) is no size: no trap.
  @Test func aPageSizeTooLargeForAnIntIsNoSize() {
    func size(_ option: String) -> Int? {
      HugetlbfsMount.Entry(path: "/dev/hugepages", type: "hugetlbfs", options: ["rw", option]).pageSizeKiB
    }
    #expect(size("pagesize=1024M") == 1_048_576)
    #expect(size("pagesize=9223372036854775807M") == nil)
    #expect(size("pagesize=9007199254740993G") == nil)
  }
}
