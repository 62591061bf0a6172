import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import HostFacts

/// `HostFacts.gather(root:)` on sources that are missing, odd or hostile: always an
/// answer, never a crash, a hang or a read outside the root.
@Suite struct GatherTests {
  /// A copy of the seed host, for changing one source at a time.
  private func seed() throws -> FixtureRoot { try FixtureRoot("examples/centos6-amd/root") }

  @Test func anEmptyRootMakesEveryFactUnknownWithItsReason() throws {
    let root = try seed()
    for name in try FileManager.default.contentsOfDirectory(atPath: root.path) {
      try FileManager.default.removeItem(atPath: root.path + "/" + name)
    }
    let report = FactsReport(root: root.path, facts: HostFacts.gather(root: root.host))
    let leaves = try jsonLeaves(report.json())
    let values = leaves.filter { $0.key.hasPrefix("facts.") && $0.key.hasSuffix(".value") }
    #expect(
      values.count == 137,
      "62 facts before the virt-host-validate ones, services.semantics, boot.coverage, boot.next_entry, 11 NUMA and isolation facts, 10 PCI and KVM module facts, huge_pages.mounts, 13 libvirt facts"
    )
    #expect(values.allSatisfy { $0.value == .null })
    for key in values.keys {
      let reason = leaves[String(key.dropLast(6)) + ".unknown"]
      #expect(reason != nil && reason != .null, "\(key)")
    }
    let facts = report.facts
    #expect(facts.cpu.vendor.unknown == "/proc/cpuinfo not found")
    #expect(facts.kernel.release.unknown == "/proc/sys/kernel/osrelease not found")
    #expect(facts.kernel.config("CONFIG_KSM").unknown == "the running kernel release is unknown")
    #expect(facts.kernel.config("CONFIG_KSM").source == "/boot/config-<release>")
    #expect(
      facts.iommu.active.unknown
        == "/sys/class/iommu and /sys/kernel/iommu_groups not found, /var/log/dmesg not found; "
        + "the ring buffer (/dev/kmsg) is read only on the live root")
    #expect(facts.kvm.device.unknown == "/dev not found (an offline image has no devices)")
    #expect(facts.memory.pageSizeBytes.unknown == "/proc/cpuinfo not found")
    #expect(report.checks.allSatisfy { $0.level == .warn && $0.message.hasPrefix("cannot tell: ") })
    #expect(!report.hasFailure)
  }

  @Test func aFIFOOrAFolderInPlaceOfAFileIsReportedNotReadOrWaitedOn() throws {
    let root = try seed()
    try FileManager.default.removeItem(atPath: root.path + "/proc/meminfo")
    #expect(mkfifo(root.path + "/proc/meminfo", 0o644) == 0)
    try FileManager.default.removeItem(atPath: root.path + "/proc/cpuinfo")
    try FileManager.default.createDirectory(atPath: root.path + "/proc/cpuinfo", withIntermediateDirectories: false)
    let facts = HostFacts.gather(root: root.host)
    #expect(facts.memory.totalKiB == .unknown("/proc/meminfo is not a regular file", source: "/proc/meminfo"))
    #expect(
      facts.memory.freeKiB
        == .unknown("/proc/meminfo is not a regular file", source: "/proc/meminfo: MemFree + Buffers + Cached"))
    #expect(
      facts.cpu.hardwareVirtualization == .unknown("/proc/cpuinfo is not a regular file", source: "/proc/cpuinfo"))
  }

  @Test func symbolicLinksResolveInsideTheRootNeverOnTheLiveMachine() throws {
    let root = try seed()
    let config = "/boot/config-2.6.32-71.29.1.el6.x86_64"
    try root.write("/boot/config.real", "# CONFIG_KSM is not set\nCONFIG_KVM=y\nCONFIG_KVM_AMD=\"weird\"\n")
    try FileManager.default.removeItem(atPath: root.path + config)
    try FileManager.default.createSymbolicLink(atPath: root.path + config, withDestinationPath: "/boot/config.real")
    try FileManager.default.removeItem(atPath: root.path + "/proc/cmdline")
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/proc/cmdline", withDestinationPath: "/etc/hostname")
    try FileManager.default.removeItem(atPath: root.path + "/proc/sys/kernel/osrelease")
    try root.write("/proc/release.real", "2.6.32-71.29.1.el6.x86_64\n")
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/proc/sys/kernel/osrelease", withDestinationPath: "../../../../../../../proc/release.real")
    try FileManager.default.createSymbolicLink(atPath: root.path + "/proc/modules", withDestinationPath: "modules")
    let facts = HostFacts.gather(root: root.host)
    #expect(facts.kernel.release == .known("2.6.32-71.29.1.el6.x86_64", source: "/proc/sys/kernel/osrelease"))
    #expect(facts.kernel.config("CONFIG_KSM") == .known("n", source: config))
    #expect(facts.kernel.config("CONFIG_KVM") == .known("y", source: config))
    #expect(facts.kernel.config("CONFIG_KVM_AMD") == .known("weird", source: config))
    #expect(facts.kernel.config("CONFIG_AMD_IOMMU") == .known("n", source: config))
    #expect(facts.kernel.cmdline == .unknown("/proc/cmdline not found", source: "/proc/cmdline"))
    #expect(
      facts.kvm.moduleLoaded
        == .unknown(
          "/proc/modules has too many levels of symbolic links and /sys/module/kvm_amd not found",
          source: "/proc/modules"))
  }

  @Test func aValueThatIsNotANumberIsUnknownNotZero() throws {
    let root = try seed()
    try root.write("/sys/kernel/mm/ksm/run", "abc\n")
    try root.write("/proc/sys/kernel/numa_balancing", "\n")
    let facts = HostFacts.gather(root: root.host)
    let run = "/sys/kernel/mm/ksm/run"
    #expect(facts.ksm.run == .unknown("\(run) holds \"abc\", not a number", source: run))
    #expect(facts.ksm.runMeaning == .unknown("\(run) holds \"abc\", not a number", source: run))
    #expect(facts.memory.numaBalancing.unknown == "/proc/sys/kernel/numa_balancing holds \"\", not a number")
  }

  @Test func anARMHostHasAnUnknownVendorAndNoFlagsToJudge() throws {
    let root = try seed()
    try root.write(
      "/proc/cpuinfo",
      "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes crc32 cpuid\nCPU implementer\t: 0x41\n\n"
        + "processor\t: 1\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes crc32 cpuid\nCPU implementer\t: 0x41\n")
    let facts = HostFacts.gather(root: root.host)
    #expect(facts.cpu.vendor == .known(.unknown, source: "/proc/cpuinfo"))
    #expect(facts.cpu.vendorID == .known("", source: "/proc/cpuinfo"))
    #expect(facts.cpu.count == .known(2, source: "/proc/cpuinfo"))
    #expect(facts.cpu.hardwareVirtualization.unknown == "/proc/cpuinfo has no flags line")
    #expect(facts.kvm.module == .known("kvm", source: "/proc/cpuinfo"))
    #expect(facts.memory.pageSizeBytes.unknown == "the page size of this processor is not known outside the live /")
    #expect(facts.ksm.savedBytes.unknown == "the page size of this processor is not known outside the live /")
  }

  @Test func aBuiltInKVMModuleCountsAsLoaded() throws {
    let root = try seed()
    try root.write("/proc/modules", "ipv6 322541 40 - Live 0xffffffffa02e4000\n")
    try root.write("/sys/module/kvm_amd/parameters/nested", "1\n")
    #expect(HostFacts.gather(root: root.host).kvm.moduleLoaded == .known(true, source: "/sys/module/kvm_amd"))
    try FileManager.default.removeItem(atPath: root.path + "/sys/module")
    #expect(HostFacts.gather(root: root.host).kvm.moduleLoaded == .known(false, source: "/proc/modules"))
  }

  @Test func theCommandLineSplitsAtBlanksOutsideDoubleQuotes() {
    #expect(
      KernelFacts.splitArguments("ro  root=/dev/sda1 dyndbg=\"file x.c +p\" quiet\n")
        == ["ro", "root=/dev/sda1", "dyndbg=\"file x.c +p\"", "quiet"])
    #expect(KernelFacts.splitArguments("\n") == [])
  }

  @Test func theBootLogKeepsOnlyTheKernelsWordsAboutTheIOMMU() {
    #expect(IOMMUFacts.isAboutIOMMU("[    0.000000] DMAR: IOMMU enabled"))
    #expect(IOMMUFacts.isAboutIOMMU("[    0.330000] iommu: Default domain type: Passthrough"))
    #expect(IOMMUFacts.isAboutIOMMU("AMD-Vi: Enabling IOMMU at 0000:00:00.2 cap 0x40"))
    #expect(!IOMMUFacts.isAboutIOMMU("Command line: ro root=/dev/sda1 amd_iommu=on"))
    #expect(!IOMMUFacts.isAboutIOMMU("[    0.000000] Kernel command line: ro intel_iommu=on iommu=pt"))
    #expect(!IOMMUFacts.isAboutIOMMU("kvm: Nested Virtualization enabled"))
  }
}
