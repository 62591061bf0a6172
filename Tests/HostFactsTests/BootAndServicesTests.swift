import Foundation
import HostFacts
import TestSupport
import Testing

/// The boot loader's configured arguments against `/proc/cmdline`, and the KSM
/// services, read through the boot-loader and service editors.
@Suite struct BootAndServicesTests {
  /// The seed host after `amd_iommu=on` was added to its boot loader, before the reboot.
  private func seedWithIOMMUConfigured() throws -> FixtureRoot {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let grub = try root.text("/boot/grub/grub.conf")
    try root.write("/boot/grub/grub.conf", grub.replacingOccurrences(of: "vga=795\n", with: "vga=795 amd_iommu=on\n"))
    return root
  }

  @Test func anArgumentConfiguredButNotOnTheCommandLineIsARebootPending() throws {
    let root = try seedWithIOMMUConfigured()
    let facts = HostFacts.gather(root: root.host)
    let source = "/boot/grub/grub.conf against /proc/cmdline"
    #expect(facts.boot.loader == .known("grub-legacy", source: "/boot/grub/grub.conf"))
    #expect(facts.boot.configuredArguments.value?.last == "amd_iommu=on")
    #expect(facts.boot.configuredArguments.value?.count == 14)
    #expect(facts.boot.pendingArguments == .known(["amd_iommu=on"], source: source))
    #expect(facts.boot.rebootPending == .known(true, source: source))
    let checks = Dictionary(uniqueKeysWithValues: facts.checks.map { ($0.name, $0) })
    #expect(
      checks["reboot pending"]
        == ReadinessCheck(
          name: "reboot pending", level: .warn,
          message: "configured, reboot pending: amd_iommu=on in /boot/grub/grub.conf not on /proc/cmdline",
          hint: "reboot to start the kernel with it"))
    #expect(
      checks["IOMMU enabled by kernel"]
        == ReadinessCheck(
          name: "IOMMU enabled by kernel", level: .warn,
          message: "the kernel does not run the IOMMU: the boot log says \"AMD-Vi disabled by default: pass "
            + "amd_iommu=on to enable\"; amd_iommu=on is configured, reboot pending",
          hint: "reboot to start the kernel with amd_iommu=on"))
  }

  @Test func argumentsAfterADoubleDashGoToInitAndDoNotCount() throws {
    let root = try seedWithIOMMUConfigured()
    let cmdline = try root.text("/proc/cmdline").replacingOccurrences(of: "\n", with: "")
    try root.write("/proc/cmdline", cmdline + " -- amd_iommu=on\n")
    #expect(HostFacts.gather(root: root.host).boot.pendingArguments.value == ["amd_iommu=on"])
    try root.write("/proc/cmdline", cmdline + " amd_iommu=on -- single\n")
    #expect(HostFacts.gather(root: root.host).boot.pendingArguments.value == [])
  }

  @Test func withoutABootLoaderOrInitSystemTheEditorsSayWhy() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    for path in ["/boot/grub", "/etc/grub.conf", "/etc/rc.d", "/etc/init.d"] {
      try FileManager.default.removeItem(atPath: root.path + path)
    }
    let facts = HostFacts.gather(root: root.host)
    #expect(facts.boot.loader.value == nil)
    #expect(facts.boot.loader.unknown?.hasPrefix("no boot loader configuration found under \(root.path)") == true)
    #expect(facts.boot.rebootPending.unknown == facts.boot.loader.unknown)
    #expect(facts.services.initSystem.unknown?.hasPrefix("cannot tell the init system of the root") == true)
    #expect(facts.services.ksm.enabled.unknown == facts.services.initSystem.unknown)
    let checks = Dictionary(uniqueKeysWithValues: facts.checks.map { ($0.name, $0) })
    #expect(checks["reboot pending"]?.message == "cannot tell: \(facts.boot.loader.unknown ?? "")")
    #expect(checks["KSM services at boot"]?.level == .warn)
  }

  @Test func aRunningTunerMakesAStoppedKSMItsDecision() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    var facts = HostFacts.gather(root: root.host)
    #expect(facts.services.ksmtuned.running.unknown == "not the live root: whether it runs can only be asked on /")
    facts.services.ksmtuned.running = .known(true, source: "service ksmtuned status")
    let check = facts.checks.first { $0.name == "KSM running" }
    #expect(
      check
        == ReadinessCheck(
          name: "KSM running", level: .pass,
          message: "KSM is stopped (run = 0); ksmtuned runs and starts it when free memory runs short"))
  }

  @Test func onASystemdHostTheHintIsSystemctlAndOneTunerIsEnough() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/intel-vmx-dmar/root")
    try FileManager.default.removeItem(
      atPath: root.path + "/etc/systemd/system/multi-user.target.wants/ksmtuned.service")
    try FileManager.default.removeItem(atPath: root.path + "/etc/systemd/system/multi-user.target.wants/ksm.service")
    var check = HostFacts.gather(root: root.host).checks.first { $0.name == "KSM services at boot" }
    #expect(
      check
        == ReadinessCheck(
          name: "KSM services at boot", level: .warn, message: "ksm and ksmtuned do not start at boot",
          hint: "systemctl enable ksm ksmtuned"))
    try FileManager.default.removeItem(atPath: root.path + "/usr/lib/systemd/system/ksm.service")
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/multi-user.target.wants/ksmtuned.service",
      withDestinationPath: "/usr/lib/systemd/system/ksmtuned.service")
    check = HostFacts.gather(root: root.host).checks.first { $0.name == "KSM services at boot" }
    #expect(
      check == ReadinessCheck(name: "KSM services at boot", level: .pass, message: "ksmtuned starts at boot"))
  }

  /// A masked unit is off at boot on purpose; the hint is never "enable" for it.
  @Test func aMaskedKsmIsNotHintedToBeEnabled() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/intel-vmx-dmar/root")
    try FileManager.default.removeItem(atPath: root.path + "/etc/systemd/system/multi-user.target.wants/ksm.service")
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/ksm.service", withDestinationPath: "/dev/null")
    let check = HostFacts.gather(root: root.host).checks.first { $0.name == "KSM services at boot" }
    #expect(
      check
        == ReadinessCheck(
          name: "KSM services at boot", level: .warn, message: "ksm is masked: off at boot",
          hint: "systemctl unmask ksm, if KSM should start at boot"))
  }
}
