import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

private let fixtures = "Tests/HostFactsTests/Fixtures"

/// The JSON of each fixture root, decoded and checked leaf by leaf: every fact's value,
/// source and reason, the schema version, the checks, and the exit status.
@Suite struct FactsJSONTests {
  @Test func seedHostBeforeRebootHasIOMMUOffAndKSMStopped() throws {
    let run = try FactsRun("examples/centos6-amd/root")
    #expect(run.leaves["root"] == .string(run.root))
    expectLeaves(run.facts, seedBeforeReboot)
    #expect(
      run.checks == [
        "PASS hardware virtualization: the CPU has svm (AMD-V)",
        "PASS 64-bit CPU: the CPU runs 64-bit code (lm)",
        "WARN /dev/kvm: cannot tell: /dev not found (an offline image has no devices)",
        "WARN /dev/kvm access: cannot tell: /dev not found (an offline image has no devices)",
        "WARN /dev/vhost-net: cannot tell: /dev not found (an offline image has no devices)",
        "WARN /dev/net/tun: cannot tell: /dev not found (an offline image has no devices)",
      ] + unknownCgroups + [
        "PASS IOMMU in firmware: the firmware announces AMD-Vi (ACPI table IVRS)",
        "PASS IOMMU in kernel build: the kernel is built with CONFIG_AMD_IOMMU=y",
        "WARN IOMMU enabled by kernel: the kernel does not run the IOMMU: the boot log says \"AMD-Vi "
          + "disabled by default: pass amd_iommu=on to enable\" (hint: add amd_iommu=on to the kernel "
          + "arguments in the boot loader and reboot)",
        "WARN secure guests: no secure-guest technology: the CPU shows no sev flag and the kernel "
          + "reports no Intel TDX (hint: only confidential guests need one: AMD SEV (EPYC) or Intel TDX "
          + "(Xeon))",
        "WARN nested virtualization: cannot tell: neither kvm_intel nor kvm_amd is loaded "
          + "(/sys/module/kvm_intel/parameters/nested, /sys/module/kvm_amd/parameters/nested not found)",
        "PASS reboot pending: the running kernel has every argument of the boot loader's default entry",
        "PASS KSM in kernel build: the kernel is built with CONFIG_KSM=y",
        "WARN KSM running: KSM is stopped (run = 0) (hint: start the ksm and ksmtuned services and "
          + "enable them at boot; ksmtuned starts KSM when free memory runs short)",
        "WARN KSM services at boot: ksm and ksmtuned do not start at boot (hint: chkconfig ksm on; "
          + "chkconfig ksmtuned on)",
      ])
    #expect(!run.failed)
  }

  @Test func seedHostAfterRebootRunsTheIOMMUInPassthroughAndKSM() throws {
    let run = try FactsRun("\(fixtures)/centos6-amd-rebooted/root")
    let expected = seedBeforeReboot.changing([
      "facts.iommu.active.value": true,
      "facts.iommu.passthrough.value": true,
      "facts.kernel.cmdline.value[13]": "amd_iommu=on",
      "facts.ksm.run.value": 1,
      "facts.ksm.run_meaning.value": "running",
      "facts.ksm.pages_shared.value": 51234,
      "facts.ksm.pages_sharing.value": 187456,
      "facts.ksm.pages_unshared.value": 402311,
      "facts.ksm.pages_volatile.value": 10523,
      "facts.ksm.pages_to_scan.value": 64,
      "facts.ksm.sleep_millisecs.value": 10,
      "facts.ksm.full_scans.value": 12,
      "facts.ksm.saved_bytes.value": 767_819_776,
      "facts.kvm.device.value": true,
      "facts.kvm.device.unknown": nil,
      "facts.kvm.module_loaded.value": true,
      "facts.kvm.module_loaded.unknown": nil,
      "facts.boot.configured_arguments.value[13]": "amd_iommu=on",
      "facts.services.ksm.detail.value": "ksm 0:off 1:off 2:on 3:on 4:on 5:on 6:off",
      "facts.services.ksm.enabled.value": true,
      "facts.services.ksmtuned.detail.value": "ksmtuned 0:off 1:off 2:on 3:on 4:on 5:on 6:off",
      "facts.services.ksmtuned.enabled.value": true,
    ]).replacing(
      array: "facts.iommu.boot_log.value",
      with: ["AMD-Vi: Enabling IOMMU at 0000:00:00.2 cap 0x40", "AMD-Vi: Initialized for Passthrough Mode"])
    expectLeaves(run.facts, expected)
    #expect(
      run.checks == [
        "PASS hardware virtualization: the CPU has svm (AMD-V)",
        "PASS 64-bit CPU: the CPU runs 64-bit code (lm)",
        "PASS /dev/kvm: /dev/kvm exists",
        "PASS /dev/kvm access: /dev/kvm (mode, owner:group 0644 0:0) is readable and writable",
        "PASS /dev/vhost-net: /dev/vhost-net exists",
        "PASS /dev/net/tun: /dev/net/tun exists",
      ] + unknownCgroups + [
        "PASS IOMMU in firmware: the firmware announces AMD-Vi (ACPI table IVRS)",
        "PASS IOMMU in kernel build: the kernel is built with CONFIG_AMD_IOMMU=y",
        "PASS IOMMU enabled by kernel: the kernel runs the IOMMU in passthrough mode",
        "WARN secure guests: no secure-guest technology: the CPU shows no sev flag and the kernel "
          + "reports no Intel TDX (hint: only confidential guests need one: AMD SEV (EPYC) or Intel TDX "
          + "(Xeon))",
        "WARN nested virtualization: cannot tell: neither kvm_intel nor kvm_amd is loaded "
          + "(/sys/module/kvm_intel/parameters/nested, /sys/module/kvm_amd/parameters/nested not found)",
        "PASS reboot pending: the running kernel has every argument of the boot loader's default entry",
        "PASS KSM in kernel build: the kernel is built with CONFIG_KSM=y",
        "PASS KSM running: KSM is running: it saves 732.3 MiB",
        "PASS KSM services at boot: ksm and ksmtuned start at boot",
      ])
    #expect(!run.failed)
  }

  @Test func intelHostWithVMXAndDMARPassesEveryCheckButSecureGuests() throws {
    let run = try FactsRun("\(fixtures)/intel-vmx-dmar/root")
    let config = "/boot/config-3.10.0-1160.el7.x86_64"
    let expected = seedBeforeReboot.withoutGeneratedMenu().changing([
      "facts.cpu.count.value": 8,
      "facts.cpu.model.value": "Intel(R) Xeon(R) CPU E5-2623 v3 @ 3.00GHz",
      "facts.cpu.numa_nodes.value": 2,
      "facts.cpu.vendor.value": "intel",
      "facts.cpu.vendor_id.value": "GenuineIntel",
      "facts.iommu.active.source": "/sys/class/iommu, /sys/kernel/iommu_groups",
      "facts.iommu.active.value": true,
      "facts.iommu.firmware_tables.value[0]": "DMAR",
      "facts.kernel.config.CONFIG_AMD_IOMMU.source": .string(config),
      "facts.kernel.config.CONFIG_INTEL_IOMMU.source": .string(config),
      "facts.kernel.config.CONFIG_KSM.source": .string(config),
      "facts.kernel.config.CONFIG_KVM.source": .string(config),
      "facts.kernel.config.CONFIG_KVM_AMD.source": .string(config),
      "facts.kernel.config.CONFIG_KVM_INTEL.source": .string(config),
      "facts.kernel.release.value": "3.10.0-1160.el7.x86_64",
      "facts.ksm.run.value": 1,
      "facts.ksm.run_meaning.value": "running",
      "facts.ksm.full_scans.value": 41,
      "facts.ksm.merge_across_nodes.unknown": nil,
      "facts.ksm.merge_across_nodes.value": 0,
      "facts.ksm.pages_shared.value": 212_873,
      "facts.ksm.pages_sharing.value": 1_843_117,
      "facts.ksm.pages_to_scan.value": 1250,
      "facts.ksm.pages_unshared.value": 918_262,
      "facts.ksm.pages_volatile.value": 23410,
      "facts.ksm.saved_bytes.value": 7_549_407_232,
      "facts.kvm.device.unknown": nil,
      "facts.kvm.device.value": true,
      "facts.kvm.module.value": "kvm_intel",
      "facts.kvm.module_loaded.unknown": nil,
      "facts.kvm.module_loaded.value": true,
      "facts.memory.free_kib.value": 19_596_264,
      "facts.memory.huge_pages_free.value": 1024,
      "facts.memory.huge_pages_total.value": 8192,
      "facts.memory.numa_balancing.unknown": nil,
      "facts.memory.numa_balancing.value": 1,
      "facts.memory.total_kib.value": 65_759_064,
      "facts.boot.loader.value": "grub2",
      "facts.services.ksm.detail.value": "enabled (multi-user.target.wants)",
      "facts.services.ksm.enabled.value": true,
      "facts.services.ksmtuned.detail.value": "enabled (multi-user.target.wants)",
      "facts.services.ksmtuned.enabled.value": true,
      "facts.services.virthost_ksmtuned.detail.value": "not found",
    ]).systemdServices()
      .sourced("facts.boot", ["loader", "configured_arguments"], "/etc/default/grub")
      .sourced("facts.boot", ["pending_arguments", "reboot_pending"], "/etc/default/grub against /proc/cmdline")
      .replacing(
        array: "facts.boot.configured_arguments.value",
        with: ["crashkernel=auto", "rd.lvm.lv=centos/root", "rd.lvm.lv=centos/swap", "rhgb", "quiet", "intel_iommu=on"]
      ).covered(
        ["crashkernel=auto", "rd.lvm.lv=centos/root", "rd.lvm.lv=centos/swap", "rhgb", "quiet", "intel_iommu=on"],
        in: ["/etc/default/grub (evaluated)"], source: "/etc/default/grub (evaluated) against /proc/cmdline"
      ).replacing(
        array: "facts.kernel.cmdline.value",
        with: [
          "BOOT_IMAGE=/vmlinuz-3.10.0-1160.el7.x86_64", "root=/dev/mapper/centos-root", "ro", "crashkernel=auto",
          "rd.lvm.lv=centos/root", "rd.lvm.lv=centos/swap", "rhgb", "quiet", "intel_iommu=on", "LANG=en_US.UTF-8",
        ]
      ).replacing(
        array: "facts.iommu.boot_log.value",
        with: [
          "[    0.000000] ACPI: DMAR 000000007b7e7000 000E8 (v01 INTEL  S2600WT  00000001 INTL 20091013)",
          "[    0.000000] DMAR: IOMMU enabled",
          "[    0.159042] DMAR: Host address width 46",
          "[    0.159044] DMAR: DRHD base: 0x000000fbffc000 flags: 0x0",
          "[    0.159052] DMAR: dmar0: reg_base_addr fbffc000 ver 1:0 cap d2078c106f0466 ecap f020df",
          "[    0.159053] DMAR: DRHD base: 0x000000c7ffc000 flags: 0x1",
          "[    0.159058] DMAR: dmar1: reg_base_addr c7ffc000 ver 1:0 cap d2078c106f0466 ecap f020df",
          "[    1.902515] DMAR: Intel(R) Virtualization Technology for Directed I/O",
        ]
      ).filter { $0.key != "facts.kvm_modules.parameters.value" }.changing([
        "facts.kvm_modules.parameters.value.kvm_intel.nested": "Y",
        "facts.kvm_modules.parameters.unknown": nil,
        "facts.kvm_modules.vendor_module.source": "/sys/module/kvm_intel",
        "facts.kvm_modules.vendor_module.unknown": nil,
        "facts.kvm_modules.vendor_module.value": "kvm_intel",
      ])
    expectLeaves(run.facts, expected)
    #expect(
      run.checks == [
        "PASS hardware virtualization: the CPU has vmx (VT-x)",
        "PASS 64-bit CPU: the CPU runs 64-bit code (lm)",
        "PASS /dev/kvm: /dev/kvm exists",
        "PASS /dev/kvm access: /dev/kvm (mode, owner:group 0644 0:0) is readable and writable",
        "PASS /dev/vhost-net: /dev/vhost-net exists",
        "PASS /dev/net/tun: /dev/net/tun exists",
        "PASS cgroup cpu controller: libvirt finds the cpu controller in /proc/mounts: cgroup "
          + "/sys/fs/cgroup/cpu,cpuacct",
        "PASS cgroup cpuacct controller: libvirt finds the cpuacct controller in /proc/mounts: cgroup "
          + "/sys/fs/cgroup/cpu,cpuacct",
        "PASS cgroup cpuset controller: libvirt finds the cpuset controller in /proc/mounts: cgroup "
          + "/sys/fs/cgroup/cpuset",
        "PASS cgroup memory controller: libvirt finds the memory controller in /proc/mounts: cgroup "
          + "/sys/fs/cgroup/memory",
        "PASS cgroup devices controller: libvirt finds the devices controller in /proc/mounts: cgroup "
          + "/sys/fs/cgroup/devices",
        "PASS cgroup blkio controller: libvirt finds the blkio controller in /proc/mounts: cgroup "
          + "/sys/fs/cgroup/blkio",
        "PASS IOMMU in firmware: the firmware announces VT-d (ACPI table DMAR)",
        "PASS IOMMU in kernel build: the kernel is built with CONFIG_INTEL_IOMMU=y",
        "PASS IOMMU enabled by kernel: the kernel runs the IOMMU",
        "WARN secure guests: no secure-guest technology: the CPU shows no sev flag and the kernel "
          + "reports no Intel TDX (hint: only confidential guests need one: AMD SEV (EPYC) or Intel TDX "
          + "(Xeon))",
        "PASS nested virtualization: kvm_intel lets guests run hypervisors (nested = Y)",
        "PASS reboot pending: the running kernel has every argument of the boot loader's default entry",
        "PASS KSM in kernel build: the kernel is built with CONFIG_KSM=y",
        "PASS KSM running: KSM is running: it saves 7.0 GiB",
        "PASS KSM services at boot: ksm and ksmtuned start at boot",
      ])
    #expect(!run.failed)
  }

  @Test func hostWithoutHardwareVirtualizationFailsAndExitsNonZero() throws {
    let run = try FactsRun("\(fixtures)/no-virtualization/root")
    let config = "/boot/config-4.9.0-atom"
    let ksm = [
      "run", "run_meaning", "pages_shared", "pages_sharing", "pages_unshared", "pages_volatile", "pages_to_scan",
      "sleep_millisecs", "full_scans", "merge_across_nodes",
    ].map { "facts.ksm.\($0)" }
    let expected = seedBeforeReboot.withoutGeneratedMenu().changing([
      "facts.cpu.count.value": 4,
      "facts.cpu.hardware_virtualization.value": false,
      "facts.cpu.model.value": "Intel(R) Atom(TM) CPU D525   @ 1.80GHz",
      "facts.cpu.vendor.value": "intel",
      "facts.cpu.vendor_id.value": "GenuineIntel",
      "facts.iommu.active.source": "/sys/class/iommu, /sys/kernel/iommu_groups",
      "facts.kernel.config.CONFIG_AMD_IOMMU.source": .string(config),
      "facts.kernel.config.CONFIG_AMD_IOMMU.value": "n",
      "facts.kernel.config.CONFIG_INTEL_IOMMU.source": .string(config),
      "facts.kernel.config.CONFIG_INTEL_IOMMU.value": "n",
      "facts.kernel.config.CONFIG_KSM.source": .string(config),
      "facts.kernel.config.CONFIG_KSM.value": "n",
      "facts.kernel.config.CONFIG_KVM.source": .string(config),
      "facts.kernel.config.CONFIG_KVM_AMD.source": .string(config),
      "facts.kernel.config.CONFIG_KVM_AMD.value": "n",
      "facts.kernel.config.CONFIG_KVM_INTEL.source": .string(config),
      "facts.kernel.release.value": "4.9.0-atom",
      "facts.ksm.saved_bytes.unknown": "/sys/kernel/mm/ksm/pages_sharing not found",
      "facts.ksm.saved_bytes.value": nil,
      "facts.kvm.device.unknown": nil,
      "facts.kvm.device.value": false,
      "facts.kvm.module.value": "kvm_intel",
      "facts.kvm.module_loaded.unknown": nil,
      "facts.kvm.module_loaded.value": false,
      "facts.memory.free_kib.value": 3_582_636,
      "facts.memory.total_kib.value": 4_037_280,
      "facts.boot.loader.value": "grub2",
      "facts.services.ksm.detail.value": "not found",
      "facts.services.ksm.exists.value": false,
      "facts.services.ksm.running.value": false,
      "facts.services.ksm.running.unknown": nil,
      "facts.services.ksmtuned.detail.value": "not found",
      "facts.services.ksmtuned.exists.value": false,
      "facts.services.ksmtuned.running.value": false,
      "facts.services.ksmtuned.running.unknown": nil,
      "facts.services.virthost_ksmtuned.detail.value": "not found",
    ]).systemdServices()
      .sourced("facts.boot", ["loader", "configured_arguments"], "/etc/default/grub")
      .sourced("facts.boot", ["pending_arguments", "reboot_pending"], "/etc/default/grub against /proc/cmdline")
      .replacing(array: "facts.boot.configured_arguments.value", with: ["quiet"])
      .covered(
        ["quiet"], in: ["/etc/default/grub (evaluated)"], source: "/etc/default/grub (evaluated) against /proc/cmdline"
      )
      .replacing(
        array: "facts.kernel.cmdline.value",
        with: ["BOOT_IMAGE=/boot/vmlinuz-4.9.0-atom", "root=UUID=6c1f3a52-8a8e-4f7e-9d61-2f0b7f0f5d1e", "ro", "quiet"]
      ).replacing(array: "facts.iommu.firmware_tables.value", with: [])
      .unknown(["facts.iommu.boot_log", "facts.iommu.passthrough", "facts.pci.interrupt_remapping"]) { _ in
        "/var/log/dmesg not found; the ring buffer (/dev/kmsg) is read only on the live root"
      }
      .unknown(ksm) { path in
        "/sys/kernel/mm/ksm/\(path == "facts.ksm.run_meaning" ? "run" : path.dropFirst(10)) not found"
      }
    expectLeaves(run.facts, expected)
    #expect(
      run.checks == [
        "FAIL hardware virtualization: the CPU does not show vmx (VT-x): switched off in the BIOS or not "
          + "supported (hint: enable VT-x in the BIOS setup)",
        "PASS 64-bit CPU: the CPU runs 64-bit code (lm)",
        "FAIL /dev/kvm: /dev/kvm does not exist (hint: enable VT-x in the BIOS setup, then load the "
          + "kvm_intel module: modprobe kvm_intel)",
        "WARN /dev/kvm access: cannot tell: /dev/kvm does not exist (see the /dev/kvm check)",
        "WARN /dev/vhost-net: /dev/vhost-net does not exist: virtio networking runs in QEMU, more slowly "
          + "(hint: load the vhost_net module: modprobe vhost_net, and list it in /etc/modules-load.d/ to "
          + "load it at boot)",
        "FAIL /dev/net/tun: /dev/net/tun does not exist: guests cannot have TAP network devices (hint: "
          + "load the tun module: modprobe tun, and list it in /etc/modules-load.d/ to load it at boot)",
      ] + unknownCgroups + [
        "WARN IOMMU in firmware: no ACPI DMAR table: VT-d is off in the BIOS or not supported by this "
          + "platform (hint: if guests need PCI passthrough, enable VT-d in the BIOS setup)",
        "WARN IOMMU in kernel build: the kernel is built without VT-d support (CONFIG_INTEL_IOMMU=n) "
          + "(hint: install a kernel built with CONFIG_INTEL_IOMMU=y)",
        "WARN IOMMU enabled by kernel: the kernel does not run the IOMMU (hint: enable VT-d in the BIOS "
          + "setup first)",
        "WARN secure guests: no secure-guest technology: the CPU shows no sev flag and the kernel "
          + "reports no Intel TDX (hint: only confidential guests need one: AMD SEV (EPYC) or Intel TDX "
          + "(Xeon))",
        "WARN nested virtualization: cannot tell: neither kvm_intel nor kvm_amd is loaded "
          + "(/sys/module/kvm_intel/parameters/nested, /sys/module/kvm_amd/parameters/nested not found)",
        "PASS reboot pending: the running kernel has every argument of the boot loader's default entry",
        "WARN KSM in kernel build: the kernel is built without KSM (CONFIG_KSM=n) (hint: install a "
          + "kernel built with CONFIG_KSM=y to share identical guest memory)",
        "WARN KSM running: KSM cannot run: the kernel is built without it",
        "WARN KSM services at boot: no KSM tuner (ksmtuned, virthost-ksmtuned) is installed (hint: "
          + "install ksmtuned, or let virthost install virthost-ksmtuned)",
      ])
    #expect(run.failed)
  }

  @Test func jsonDecodesBackIntoTheSameReport() throws {
    let root = try FixtureRoot("\(fixtures)/intel-vmx-dmar/root")
    let report = FactsReport(root: root.path, facts: HostFacts.gather(root: root.host))
    let decoded = try JSONDecoder().decode(FactsReport.self, from: Data(report.json().utf8))
    #expect(decoded == report)
    #expect(decoded.schemaVersion == 1)
  }
}

/// The six cgroup checks of a root without `/proc/mounts`.
private let unknownCgroups = CgroupFacts.required.map {
  "WARN cgroup \($0) controller: cannot tell: /proc/self/mounts not found, /proc/mounts not found"
}
