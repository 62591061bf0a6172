import Foundation
import HostFacts
import TestSupport
import Testing

/// GRUB 2's coverage fact: per argument, the evaluated defaults (the next kernel's
/// source) against each grub.cfg (today's entries) and the running kernel.
@Suite struct CoverageTests {
  @Test func aStaleGrubCfgLacksWhatTheDefaultsGive() throws {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/stale-grubcfg/root")
    let coverage = HostFacts.gather(root: root.host).boot.coverage
    #expect(coverage.source == "/etc/default/grub (evaluated), /boot/grub/grub.cfg against /proc/cmdline")
    let defaults = ArgumentCoverage.evaluatedDefaults
    #expect(
      coverage.value == [
        ArgumentCoverage(
          argument: "amd_iommu=on", sources: [defaults: true, "/boot/grub/grub.cfg": false], running: nil),
        ArgumentCoverage(argument: "iommu=pt", sources: [defaults: true, "/boot/grub/grub.cfg": false], running: nil),
        ArgumentCoverage(argument: "quiet", sources: [defaults: true, "/boot/grub/grub.cfg": true], running: nil),
      ])
    #expect(coverage.value?.map(\.sourcesDisagree) == [true, true, false])
  }

  @Test func aRebootIsNotAdvisedForWhatGrubCfgLacks() throws {
    // /etc/default/grub has the arguments, grub.cfg does not; a reboot would not bring them.
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/stale-grubcfg/root")
    try root.write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda1 ro quiet\n")
    let boot = HostFacts.gather(root: root.host).boot
    #expect(boot.configuredArguments.value == ["amd_iommu=on", "iommu=pt", "quiet"])
    #expect(boot.pendingArguments.value == [])
    #expect(boot.rebootPending.value == false)
    #expect(boot.coverage.value?.map(\.running) == [false, false, true])
  }

  @Test func theRunningKernelIsCompared() throws {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/debian12/root")
    try root.write("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda1 ro\n")
    let coverage = HostFacts.gather(root: root.host).boot.coverage
    #expect(
      coverage.value == [
        ArgumentCoverage(
          argument: "quiet", sources: [ArgumentCoverage.evaluatedDefaults: true, "/boot/grub/grub.cfg": true],
          running: false)
      ])
  }

  @Test func onlyTheLinuxTemplatesLinesAreCompared() throws {
    // memtest86+ (20_memtest86+) and a custom entry: not made from the defaults.
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/debian12/root")
    let text = try root.text("/boot/grub/grub.cfg")
    try root.write(
      "/boot/grub/grub.cfg",
      text + "### BEGIN /etc/grub.d/20_memtest86+ ###\nmenuentry 'Memory test (memtest86+x64.bin)' {\n"
        + "\tlinux16\t/boot/memtest86+x64.bin\n}\n### END /etc/grub.d/20_memtest86+ ###\n"
        + "### BEGIN /etc/grub.d/40_custom ###\nmenuentry 'Other' {\n\tlinux /boot/vmlinuz-other root=/dev/sdb1\n}\n"
        + "### END /etc/grub.d/40_custom ###\n")
    let coverage = HostFacts.gather(root: root.host).boot.coverage
    #expect(coverage.value?.map(\.argument) == ["quiet"])
    #expect(coverage.value?.first?.sources["/boot/grub/grub.cfg"] == true)
  }
}
