import Foundation
import HostConfig
import HostFacts
import TestSupport
import Testing

/// `virthost facts` on a Proxmox host (issue 34): the boot loader each ESP runs and what
/// decided it; no `proxmox_esps` on other hosts.
@Suite struct ProxmoxBootFactsTests {
  @Test func eachESPsModeAndWhatDecidedItAreFacts() throws {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/proxmox-grub/root")
    let boot = HostFacts.gather(root: root.host).boot
    #expect(boot.loader.value == "grub2")
    let esps = try #require(boot.proxmoxESPs)
    #expect(esps.source == "/etc/kernel/proxmox-boot-uuids, the ESPs under /var/tmp/espmounts")
    #expect(
      esps.value == [
        ProxmoxBoot.ESP(
          uuid: "4A2C-77E1", line: 1, mode: .grub,
          decidedBy: "/var/tmp/espmounts/4A2C-77E1 holds EFI/proxmox/grubx64.efi"),
        ProxmoxBoot.ESP(
          uuid: "4A2C-8B03", line: 2, mode: .grub,
          decidedBy: "/var/tmp/espmounts/4A2C-8B03 holds EFI/proxmox/grubx64.efi"),
      ])
    #expect(boot.nextEntry.value?.file == "/var/tmp/espmounts/4A2C-77E1/grub/grub.cfg")
    let json = try #require(String(data: try JSONEncoder().encode(boot), encoding: .utf8))
    #expect(json.contains(#""proxmox_esps":{"#))
    #expect(json.contains(#""decided_by":"\/var\/tmp\/espmounts\/4A2C-77E1 holds EFI\/proxmox\/grubx64.efi""#))
  }

  @Test func anESPThatCannotBeToldIsAFactWithTheReason() throws {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/proxmox-grub/root")
    try FileManager.default.removeItem(atPath: root.path + "/var/tmp/espmounts/4A2C-8B03")
    let boot = HostFacts.gather(root: root.host).boot
    #expect(boot.proxmoxESPs?.value?.map(\.mode) == [.grub, nil])
    #expect(
      boot.proxmoxESPs?.value?.last?.decidedBy
        == "ESP 4A2C-8B03: its contents are not under the root at /var/tmp/espmounts/4A2C-8B03")
    #expect(boot.loader.unknown?.hasPrefix("/etc/kernel/proxmox-boot-uuids:2: cannot tell whether") == true)
  }

  @Test func otherHostsHaveNoProxmoxFact() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let boot = HostFacts.gather(root: root.host).boot
    #expect(boot.proxmoxESPs == nil)
    #expect(!(String(data: try JSONEncoder().encode(boot), encoding: .utf8) ?? "").contains("proxmox"))
  }
}
