import HostConfig
import Testing

/// What a kernel command line says about modules, as kmod reads `/proc/cmdline`: every
/// `modprobe.blacklist=` list, and `module.parameter=value` options with `-` in a module
/// name read as `_`, the last of two options winning.
@Suite struct CommandLineModulesTests {
  @Test func blacklistsAndOptionsAreReadInOrderWithDashesAsUnderscores() {
    let modules = CommandLineModules([
      "BOOT_IMAGE=/vmlinuz", "ro", "modprobe.blacklist=nouveau,snd-hda-intel", "kvm-intel.nested=1",
      "vfio_pci.ids=10de:1b80", ".odd=1", "modprobe.blacklist=e1000e", "kvm_intel.nested=0", "quiet",
    ])
    #expect(modules.blacklisted == ["nouveau", "snd_hda_intel", "e1000e"])
    #expect(
      modules.options.map { "\($0.module).\($0.parameter)=\($0.value)" } == [
        "kvm_intel.nested=1", "vfio_pci.ids=10de:1b80", "kvm_intel.nested=0",
      ])
    #expect(modules.value("kvm-intel", "nested") == "0")
    #expect(modules.value("vfio-pci", "ids") == "10de:1b80")
    #expect(modules.value("kvm_amd", "nested") == nil)
  }
}
