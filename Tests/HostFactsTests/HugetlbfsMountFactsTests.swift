import Foundation
import TestSupport
import Testing

@testable import HostFacts

/// Issue 35: the `hugetlbfs mounts` readiness row on the two-node fixture, which reserves
/// sixteen 1 GiB pages (default size 2M): a mount per reserved size, usable by the QEMU user.
@Suite struct HugetlbfsMountFactsTests {
  private func check(_ procMounts: String?) throws -> ReadinessCheck? {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    if let procMounts { try root.write("/proc/mounts", procMounts) }
    return HostFacts.gather(root: root.host).checks.first { $0.name == "hugetlbfs mounts" }
  }

  static let systemdOnly = "sysfs /sys sysfs rw 0 0\nhugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n"

  @Test func aReservedSizeWithoutAMountWarnsNamingItAndTheKey() throws {
    let check = try #require(try check(Self.systemdOnly))
    #expect(check.level == .warn)
    #expect(check.message == "no hugetlbfs mount of 1G pages (/proc/mounts)")
    #expect(
      check.hint == "hugepages.mounts: auto mounts each reserved size (dev-hugepages1G.mount) before libvirt starts")
  }

  @Test func virthostsMountGivenToTheQemuGroupPasses() throws {
    let check = try #require(
      try check(
        Self.systemdOnly
          + "hugetlbfs /dev/hugepages1G hugetlbfs rw,relatime,gid=64055,mode=1770,pagesize=1024M 0 0\n"))
    #expect(check.level == .pass)
    #expect(check.message == "1G at /dev/hugepages1G")
  }

  @Test func aMountTheQemuUserCannotEnterWarns() throws {
    let check = try #require(
      try check(Self.systemdOnly + "hugetlbfs /dev/hugepages1G hugetlbfs rw,relatime,mode=700,pagesize=1024M 0 0\n"))
    #expect(check.level == .warn)
    #expect(
      check.message
        == "/dev/hugepages1G (1G) is mode 700, root's: the QEMU user cannot enter it (/proc/mounts)")
  }

  @Test func withoutProcMountsTheRowCannotTell() throws {
    let check = try #require(try check(nil))
    #expect(check.level == .warn)
    #expect(check.message.contains("/proc/mounts"))
  }
}
