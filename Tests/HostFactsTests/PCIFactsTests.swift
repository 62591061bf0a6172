import Foundation
import RootFS
import TestSupport
import Testing

@testable import HostFacts

/// The PCI facts on the gpu-passthrough example's sysfs tree, built by its make-sysfs.py from
/// an Intel Z390 desktop's `lspci -nn` (real IDs and class codes).
@Suite struct PCIFactsTests {
  private func facts() throws -> HostFacts {
    let fixture = try FixtureRoot("examples/gpu-passthrough/root")
    return HostFacts.gather(root: try HostRoot(fixture.path))
  }

  @Test func eachDeviceHasItsIDsClassDriverAndGroupPeers() throws {
    let pci = try facts().pci
    #expect(pci.devices.source == "/sys/bus/pci/devices")
    #expect(pci.devices.value?.count == 18)
    let gpu = pci.matching("0000:01:00.0")
    #expect(
      gpu == [
        PCIDevice(
          address: "0000:01:00.0", ids: "10de:1b80", pciClass: PCIClass(sysfs: "0x030000"), driver: "nouveau",
          iommuGroup: "1", groupPeers: ["0000:00:01.0", "0000:01:00.1"], bootVGA: false)
      ])
    #expect(gpu.first?.pciClass?.description == "0300 (VGA compatible controller)")
    #expect(pci.matching("10de:10f0").map(\.address) == ["0000:01:00.1"])
    #expect(pci.matching("10de:10f0").first?.pciClass?.name == "Audio device")
    #expect(pci.matching("8086:10fb").map(\.address) == ["0000:04:00.0", "0000:04:00.1"])
    #expect(pci.matching("0000:00:1f.4").first?.pciClass?.description == "0c05 (SMBus)")
  }

  @Test func theDevicesTheHostBootsFromAreFoundThroughSysfs() throws {
    let boot = try facts().pci.bootDevices
    #expect(boot.rootFileSystem == .known(["0000:02:00.0"], source: "/proc/self/mountinfo, /sys/dev/block/259:2"))
    #expect(boot.console.value == ["0000:00:02.0"])
    #expect(boot.defaultRoute == .known(["0000:00:1f.6"], source: "/proc/net/route, /sys/class/net/*/device"))
  }

  @Test func interruptRemappingAndKVMParametersAreRead() throws {
    let facts = try facts()
    #expect(facts.pci.interruptRemapping == .known(true, source: "/var/log/dmesg"))
    #expect(facts.kvmModules.vendorModule.value == "kvm_intel")
    #expect(facts.kvmModules.live("kvm_intel", "nested") == "N")
    #expect(facts.kvmModules.live("kvm", "ignore_msrs") == "N")
    #expect(facts.kvmModules.live("kvm_amd", "nested") == nil)
  }

  @Test func classCodesAreReadFromSysfsText() {
    #expect(PCIClass(sysfs: "0x010802")?.code == "0108")
    #expect(PCIClass(sysfs: "0x010802")?.name == "Non-Volatile memory controller")
    #expect(PCIClass(sysfs: "0xff0000")?.name == nil)
    #expect(PCIClass(sysfs: "garbage") == nil)
  }

  @Test func aDeviceStillBoundToItsHostDriverFailsTheCheckWithTheReason() throws {
    let fixture = try FixtureRoot("examples/gpu-passthrough/root")
    #expect(!HostFacts.gather(root: fixture.host).checks.contains { $0.name == "PCI passthrough" })
    try fixture.write(
      "/etc/modprobe.d/virthost-vfio.conf", "options vfio-pci ids=10de:1b80,10de:10f0\nsoftdep nouveau pre: vfio-pci\n")
    // Before the boot that reads the file (btime an hour ago): the devices wait, a warning.
    let now = Int(Date().timeIntervalSince1970)
    try fixture.write("/proc/stat", "btime \(now - 3600)\n")
    let before = HostFacts.gather(root: fixture.host)
    #expect(before.pci.vfioIDs == .known(["10de:1b80", "10de:10f0"], source: "/etc/modprobe.d/virthost-vfio.conf"))
    let reasons =
      "0000:01:00.0 [10de:1b80] is bound to nouveau, not vfio-pci; "
      + "0000:01:00.1 [10de:10f0] is bound to snd_hda_intel, not vfio-pci"
    let hint =
      "reboot after the initramfs is rebuilt; a host driver loaded first takes the device: "
      + "softdep it on vfio-pci (passthrough.host_drivers), or select the device by address"
    #expect(
      before.checks.last
        == ReadinessCheck(
          name: "PCI passthrough", level: .warn,
          message: reasons + " (the host has not booted with the vfio files yet)", hint: hint))
    // After that boot (btime an hour from now), a device its host driver holds fails.
    try fixture.write("/proc/stat", "btime \(now + 3600)\n")
    let facts = HostFacts.gather(root: fixture.host)
    #expect(facts.pci.bootedWithVFIOConfiguration.value == true)
    #expect(facts.checks.last == ReadinessCheck(name: "PCI passthrough", level: .fail, message: reasons, hint: hint))
    // After the reboot: both functions on vfio-pci.
    let manager = FileManager.default
    let base = fixture.path + "/sys/devices/pci0000:00/0000:00:01.0"
    try manager.createDirectory(
      atPath: fixture.path + "/sys/bus/pci/drivers/vfio-pci", withIntermediateDirectories: true)
    for function in ["0000:01:00.0", "0000:01:00.1"] {
      try manager.removeItem(atPath: "\(base)/\(function)/driver")
      try manager.createSymbolicLink(
        atPath: "\(base)/\(function)/driver", withDestinationPath: "../../../../bus/pci/drivers/vfio-pci")
    }
    let after = HostFacts.gather(root: fixture.host)
    #expect(
      after.checks.last
        == ReadinessCheck(
          name: "PCI passthrough", level: .pass,
          message: "0000:01:00.0 [10de:1b80], 0000:01:00.1 [10de:10f0] bound to vfio-pci"))
  }
}
