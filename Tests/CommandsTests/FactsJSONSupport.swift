import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

/// The seed host before the reboot: every leaf of its JSON (`root` and `checks` apart).
let seedBeforeReboot: [String: JSONLeaf] = [
  "facts.boot.configured_arguments.source": "/boot/grub/grub.conf",
  "facts.boot.configured_arguments.unknown": nil,
  "facts.boot.configured_arguments.value[0]": "ro",
  "facts.boot.configured_arguments.value[1]": "root=/dev/mapper/vg_mnss-lv_root",
  "facts.boot.configured_arguments.value[2]": "rd_DM_UUID=ddf1_raid1",
  "facts.boot.configured_arguments.value[3]": "rd_LVM_LV=vg_mnss/lv_root",
  "facts.boot.configured_arguments.value[4]": "rd_LVM_LV=vg_mnss/lv_swap",
  "facts.boot.configured_arguments.value[5]": "rd_NO_LUKS",
  "facts.boot.configured_arguments.value[6]": "rd_NO_MD",
  "facts.boot.configured_arguments.value[7]": "LANG=en_US.UTF-8",
  "facts.boot.configured_arguments.value[8]": "SYSFONT=latarcyrheb-sun16",
  "facts.boot.configured_arguments.value[9]": "KEYBOARDTYPE=pc",
  "facts.boot.configured_arguments.value[10]": "KEYTABLE=de-latin1-nodeadkeys",
  "facts.boot.configured_arguments.value[11]": "crashkernel=512M",
  "facts.boot.configured_arguments.value[12]": "vga=795",
  "facts.boot.loader.source": "/boot/grub/grub.conf",
  "facts.boot.loader.unknown": nil,
  "facts.boot.loader.value": "grub-legacy",
  "facts.boot.pending_arguments.source": "/boot/grub/grub.conf against /proc/cmdline",
  "facts.boot.pending_arguments.unknown": nil,
  "facts.boot.pending_arguments.value": [],
  "facts.boot.reboot_pending.source": "/boot/grub/grub.conf against /proc/cmdline",
  "facts.boot.reboot_pending.unknown": nil,
  "facts.boot.reboot_pending.value": false,
  "facts.boot.coverage.source": "boot loader configuration",
  "facts.boot.coverage.unknown": "read for GRUB 2 only: the other boot loaders' entries are their own source",
  "facts.boot.coverage.value": nil,
  "facts.boot.next_entry.source": "default 0 in /boot/grub/grub.conf",
  "facts.boot.next_entry.unknown": nil,
  "facts.boot.next_entry.value.decided_by": "default 0 in /boot/grub/grub.conf",
  "facts.boot.next_entry.value.file": "/boot/grub/grub.conf",
  "facts.boot.next_entry.value.image": "linux",
  "facts.boot.next_entry.value.kernel": "2.6.32-71.29.1.el6.x86_64",
  "facts.boot.next_entry.value.title": "CentOS Linux (2.6.32-71.29.1.el6.x86_64)",
  "facts.services.init_system.source": "/run/systemd/system, /sbin/init, /etc/systemd/system, rcN.d folders",
  "facts.services.init_system.unknown": nil,
  "facts.services.init_system.value": "sysv",
  "facts.services.semantics.source": "/run/systemd/system, /sbin/init, /etc/systemd/system, rcN.d folders",
  "facts.services.semantics.unknown": nil,
  "facts.services.semantics.value": "services follow chkconfig (sysv, RHEL family: /etc/rc.d/init.d)",
  "facts.services.ksm.detail.source": "SysV rcN.d links of ksm",
  "facts.services.ksm.detail.unknown": nil,
  "facts.services.ksm.detail.value": "ksm 0:off 1:off 2:off 3:off 4:off 5:off 6:off",
  "facts.services.ksm.enabled.source": "SysV rcN.d links of ksm",
  "facts.services.ksm.enabled.unknown": nil,
  "facts.services.ksm.enabled.value": false,
  "facts.services.ksm.exists.source": "SysV rcN.d links of ksm",
  "facts.services.ksm.exists.unknown": nil,
  "facts.services.ksm.exists.value": true,
  "facts.services.ksm.masked.source": "SysV rcN.d links of ksm",
  "facts.services.ksm.masked.unknown": nil,
  "facts.services.ksm.masked.value": false,
  "facts.services.ksm.running.source": "service ksm status",
  "facts.services.ksm.running.unknown": "not the live root: whether it runs can only be asked on /",
  "facts.services.ksm.running.value": nil,
  "facts.services.ksmtuned.detail.source": "SysV rcN.d links of ksmtuned",
  "facts.services.ksmtuned.detail.unknown": nil,
  "facts.services.ksmtuned.detail.value": "ksmtuned 0:off 1:off 2:off 3:off 4:off 5:off 6:off",
  "facts.services.ksmtuned.enabled.source": "SysV rcN.d links of ksmtuned",
  "facts.services.ksmtuned.enabled.unknown": nil,
  "facts.services.ksmtuned.enabled.value": false,
  "facts.services.ksmtuned.exists.source": "SysV rcN.d links of ksmtuned",
  "facts.services.ksmtuned.exists.unknown": nil,
  "facts.services.ksmtuned.exists.value": true,
  "facts.services.ksmtuned.masked.source": "SysV rcN.d links of ksmtuned",
  "facts.services.ksmtuned.masked.unknown": nil,
  "facts.services.ksmtuned.masked.value": false,
  "facts.services.ksmtuned.running.source": "service ksmtuned status",
  "facts.services.ksmtuned.running.unknown": "not the live root: whether it runs can only be asked on /",
  "facts.services.ksmtuned.running.value": nil,
  "facts.services.virthost_ksmtuned.detail.source": "SysV rcN.d links of virthost-ksmtuned",
  "facts.services.virthost_ksmtuned.detail.unknown": nil,
  "facts.services.virthost_ksmtuned.detail.value": "virthost-ksmtuned not found",
  "facts.services.virthost_ksmtuned.enabled.source": "SysV rcN.d links of virthost-ksmtuned",
  "facts.services.virthost_ksmtuned.enabled.unknown": nil,
  "facts.services.virthost_ksmtuned.enabled.value": false,
  "facts.services.virthost_ksmtuned.exists.source": "SysV rcN.d links of virthost-ksmtuned",
  "facts.services.virthost_ksmtuned.exists.unknown": nil,
  "facts.services.virthost_ksmtuned.exists.value": false,
  "facts.services.virthost_ksmtuned.masked.source": "SysV rcN.d links of virthost-ksmtuned",
  "facts.services.virthost_ksmtuned.masked.unknown": nil,
  "facts.services.virthost_ksmtuned.masked.value": false,
  "facts.services.virthost_ksmtuned.running.source": "SysV rcN.d links of virthost-ksmtuned",
  "facts.services.virthost_ksmtuned.running.unknown": nil,
  "facts.services.virthost_ksmtuned.running.value": false,
  "facts.cpu.count.source": "/proc/cpuinfo",
  "facts.cpu.count.unknown": nil,
  "facts.cpu.count.value": 6,
  "facts.cpu.hardware_virtualization.source": "/proc/cpuinfo",
  "facts.cpu.hardware_virtualization.unknown": nil,
  "facts.cpu.hardware_virtualization.value": true,
  "facts.cpu.long_mode.source": "/proc/cpuinfo",
  "facts.cpu.long_mode.unknown": nil,
  "facts.cpu.long_mode.value": true,
  "facts.cpu.model.source": "/proc/cpuinfo",
  "facts.cpu.model.unknown": nil,
  "facts.cpu.model.value": "AMD Opteron(tm) Processor 4170 HE",
  "facts.cpu.numa_nodes.source": "/sys/devices/system/node",
  "facts.cpu.numa_nodes.unknown": nil,
  "facts.cpu.numa_nodes.value": 1,
  "facts.cpu.vendor.source": "/proc/cpuinfo",
  "facts.cpu.vendor.unknown": nil,
  "facts.cpu.vendor.value": "amd",
  "facts.cpu.vendor_id.source": "/proc/cpuinfo",
  "facts.cpu.vendor_id.unknown": nil,
  "facts.cpu.vendor_id.value": "AuthenticAMD",
  "facts.iommu.active.source": "/var/log/dmesg",
  "facts.iommu.active.unknown": nil,
  "facts.iommu.active.value": false,
  "facts.iommu.boot_log.source": "/var/log/dmesg",
  "facts.iommu.boot_log.unknown": nil,
  "facts.iommu.boot_log.value[0]": "AMD-Vi disabled by default: pass amd_iommu=on to enable",
  "facts.iommu.boot_log.value[1]": "PCI-DMA: using GART IOMMU.",
  "facts.iommu.firmware_tables.source": "/sys/firmware/acpi/tables",
  "facts.iommu.firmware_tables.unknown": nil,
  "facts.iommu.firmware_tables.value[0]": "IVRS",
  "facts.iommu.passthrough.source": "/var/log/dmesg",
  "facts.iommu.passthrough.unknown": nil,
  "facts.iommu.passthrough.value": false,
  "facts.kernel.cmdline.source": "/proc/cmdline",
  "facts.kernel.cmdline.unknown": nil,
  "facts.kernel.cmdline.value[0]": "ro",
  "facts.kernel.cmdline.value[1]": "root=/dev/mapper/vg_mnss-lv_root",
  "facts.kernel.cmdline.value[2]": "rd_DM_UUID=ddf1_raid1",
  "facts.kernel.cmdline.value[3]": "rd_LVM_LV=vg_mnss/lv_root",
  "facts.kernel.cmdline.value[4]": "rd_LVM_LV=vg_mnss/lv_swap",
  "facts.kernel.cmdline.value[5]": "rd_NO_LUKS",
  "facts.kernel.cmdline.value[6]": "rd_NO_MD",
  "facts.kernel.cmdline.value[7]": "LANG=en_US.UTF-8",
  "facts.kernel.cmdline.value[8]": "SYSFONT=latarcyrheb-sun16",
  "facts.kernel.cmdline.value[9]": "KEYBOARDTYPE=pc",
  "facts.kernel.cmdline.value[10]": "KEYTABLE=de-latin1-nodeadkeys",
  "facts.kernel.cmdline.value[11]": "crashkernel=512M",
  "facts.kernel.cmdline.value[12]": "vga=795",
  "facts.kernel.config.CONFIG_AMD_IOMMU.source": "/boot/config-2.6.32-71.29.1.el6.x86_64",
  "facts.kernel.config.CONFIG_AMD_IOMMU.unknown": nil,
  "facts.kernel.config.CONFIG_AMD_IOMMU.value": "y",
  "facts.kernel.config.CONFIG_INTEL_IOMMU.source": "/boot/config-2.6.32-71.29.1.el6.x86_64",
  "facts.kernel.config.CONFIG_INTEL_IOMMU.unknown": nil,
  "facts.kernel.config.CONFIG_INTEL_IOMMU.value": "y",
  "facts.kernel.config.CONFIG_KSM.source": "/boot/config-2.6.32-71.29.1.el6.x86_64",
  "facts.kernel.config.CONFIG_KSM.unknown": nil,
  "facts.kernel.config.CONFIG_KSM.value": "y",
  "facts.kernel.config.CONFIG_KVM.source": "/boot/config-2.6.32-71.29.1.el6.x86_64",
  "facts.kernel.config.CONFIG_KVM.unknown": nil,
  "facts.kernel.config.CONFIG_KVM.value": "m",
  "facts.kernel.config.CONFIG_KVM_AMD.source": "/boot/config-2.6.32-71.29.1.el6.x86_64",
  "facts.kernel.config.CONFIG_KVM_AMD.unknown": nil,
  "facts.kernel.config.CONFIG_KVM_AMD.value": "m",
  "facts.kernel.config.CONFIG_KVM_INTEL.source": "/boot/config-2.6.32-71.29.1.el6.x86_64",
  "facts.kernel.config.CONFIG_KVM_INTEL.unknown": nil,
  "facts.kernel.config.CONFIG_KVM_INTEL.value": "m",
  "facts.kernel.release.source": "/proc/sys/kernel/osrelease",
  "facts.kernel.release.unknown": nil,
  "facts.kernel.release.value": "2.6.32-71.29.1.el6.x86_64",
  "facts.ksm.full_scans.source": "/sys/kernel/mm/ksm/full_scans",
  "facts.ksm.full_scans.unknown": nil,
  "facts.ksm.full_scans.value": 0,
  "facts.ksm.merge_across_nodes.source": "/sys/kernel/mm/ksm/merge_across_nodes",
  "facts.ksm.merge_across_nodes.unknown": "/sys/kernel/mm/ksm/merge_across_nodes not found",
  "facts.ksm.merge_across_nodes.value": nil,
  "facts.ksm.pages_shared.source": "/sys/kernel/mm/ksm/pages_shared",
  "facts.ksm.pages_shared.unknown": nil,
  "facts.ksm.pages_shared.value": 0,
  "facts.ksm.pages_sharing.source": "/sys/kernel/mm/ksm/pages_sharing",
  "facts.ksm.pages_sharing.unknown": nil,
  "facts.ksm.pages_sharing.value": 0,
  "facts.ksm.pages_to_scan.source": "/sys/kernel/mm/ksm/pages_to_scan",
  "facts.ksm.pages_to_scan.unknown": nil,
  "facts.ksm.pages_to_scan.value": 100,
  "facts.ksm.pages_unshared.source": "/sys/kernel/mm/ksm/pages_unshared",
  "facts.ksm.pages_unshared.unknown": nil,
  "facts.ksm.pages_unshared.value": 0,
  "facts.ksm.pages_volatile.source": "/sys/kernel/mm/ksm/pages_volatile",
  "facts.ksm.pages_volatile.unknown": nil,
  "facts.ksm.pages_volatile.value": 0,
  "facts.ksm.run.source": "/sys/kernel/mm/ksm/run",
  "facts.ksm.run.unknown": nil,
  "facts.ksm.run.value": 0,
  "facts.ksm.run_meaning.source": "/sys/kernel/mm/ksm/run",
  "facts.ksm.run_meaning.unknown": nil,
  "facts.ksm.run_meaning.value": "stopped",
  "facts.ksm.saved_bytes.source": "/sys/kernel/mm/ksm/pages_sharing × page size",
  "facts.ksm.saved_bytes.unknown": nil,
  "facts.ksm.saved_bytes.value": 0,
  "facts.ksm.sleep_millisecs.source": "/sys/kernel/mm/ksm/sleep_millisecs",
  "facts.ksm.sleep_millisecs.unknown": nil,
  "facts.ksm.sleep_millisecs.value": 20,
  "facts.kvm.device.source": "/dev/kvm",
  "facts.kvm.device.unknown": "/dev not found (an offline image has no devices)",
  "facts.kvm.device.value": nil,
  "facts.kvm.module.source": "/proc/cpuinfo",
  "facts.kvm.module.unknown": nil,
  "facts.kvm.module.value": "kvm_amd",
  "facts.kvm.module_loaded.source": "/proc/modules",
  "facts.kvm.module_loaded.unknown": "/proc/modules not found and /sys/module/kvm_amd not found",
  "facts.kvm.module_loaded.value": nil,
  "facts.memory.free_kib.source": "/proc/meminfo: MemFree + Buffers + Cached",
  "facts.memory.free_kib.unknown": nil,
  "facts.memory.free_kib.value": 11_641_800,
  "facts.memory.huge_page_size_kib.source": "/proc/meminfo",
  "facts.memory.huge_page_size_kib.unknown": nil,
  "facts.memory.huge_page_size_kib.value": 2048,
  "facts.memory.huge_pages_free.source": "/proc/meminfo",
  "facts.memory.huge_pages_free.unknown": nil,
  "facts.memory.huge_pages_free.value": 0,
  "facts.memory.huge_pages_rsvd.source": "/proc/meminfo",
  "facts.memory.huge_pages_rsvd.unknown": nil,
  "facts.memory.huge_pages_rsvd.value": 0,
  "facts.memory.huge_pages_surp.source": "/proc/meminfo",
  "facts.memory.huge_pages_surp.unknown": nil,
  "facts.memory.huge_pages_surp.value": 0,
  "facts.memory.huge_pages_total.source": "/proc/meminfo",
  "facts.memory.huge_pages_total.unknown": nil,
  "facts.memory.huge_pages_total.value": 0,
  "facts.memory.numa_balancing.source": "/proc/sys/kernel/numa_balancing",
  "facts.memory.numa_balancing.unknown": "/proc/sys/kernel/numa_balancing not found",
  "facts.memory.numa_balancing.value": nil,
  "facts.memory.page_size_bytes.source": "/proc/cpuinfo (x86 base pages are 4 KiB)",
  "facts.memory.page_size_bytes.unknown": nil,
  "facts.memory.page_size_bytes.value": 4096,
  "facts.memory.total_kib.source": "/proc/meminfo",
  "facts.memory.total_kib.unknown": nil,
  "facts.memory.total_kib.value": 15_874_952,
  "facts.pci.boot_devices.console.source": "/sys/class/tty/console/active",
  "facts.pci.boot_devices.console.unknown": "/sys/class/tty/console/active not found",
  "facts.pci.boot_devices.console.value": nil,
  "facts.pci.boot_devices.default_route.source": "/proc/net/route",
  "facts.pci.boot_devices.default_route.unknown": "/proc/net/route not found",
  "facts.pci.boot_devices.default_route.value": nil,
  "facts.pci.boot_devices.root_file_system.source": "/proc/self/mountinfo",
  "facts.pci.boot_devices.root_file_system.unknown": "/proc/self/mountinfo not found",
  "facts.pci.boot_devices.root_file_system.value": nil,
  "facts.pci.devices.source": "/sys/bus/pci/devices",
  "facts.pci.devices.unknown": "/sys/bus/pci/devices not found",
  "facts.pci.devices.value": nil,
  "facts.pci.vfio_ids.source":
    "/etc/modprobe.d, /run/modprobe.d, /usr/local/lib/modprobe.d, /lib/modprobe.d, /usr/lib/modprobe.d",
  "facts.pci.vfio_ids.unknown":
    "none of /etc/modprobe.d, /run/modprobe.d, /usr/local/lib/modprobe.d, /lib/modprobe.d, /usr/lib/modprobe.d exists",
  "facts.pci.vfio_ids.value": nil,
  "facts.pci.vfio_addresses.source": "/etc/udev/rules.d/05-virthost-vfio.rules",
  "facts.pci.vfio_addresses.unknown": "/etc/udev not found",
  "facts.pci.vfio_addresses.value": nil,
  "facts.pci.passthrough": [],
  "facts.pci.booted_with_vfio_configuration.source": "/proc/stat btime, /etc/udev/rules.d/05-virthost-vfio.rules",
  "facts.pci.booted_with_vfio_configuration.unknown": "no vfio configuration file",
  "facts.pci.booted_with_vfio_configuration.value": nil,
  "facts.pci.interrupt_remapping.source": "/var/log/dmesg",
  "facts.pci.interrupt_remapping.unknown": "/var/log/dmesg does not say whether interrupts are remapped",
  "facts.pci.interrupt_remapping.value": nil,
  "facts.kvm_modules.parameters.source": "/sys/module/{kvm,kvm_intel,kvm_amd}/parameters",
  "facts.kvm_modules.parameters.unknown": "/sys/module not found",
  "facts.kvm_modules.parameters.value": nil,
  "facts.kvm_modules.vendor_module.source": "/sys/module",
  "facts.kvm_modules.vendor_module.unknown": "neither kvm_intel nor kvm_amd is loaded",
  "facts.kvm_modules.vendor_module.value": nil,
  "schema_version": 1,
  "facts.libvirt.guests_on_old_settings.source": "/run/libvirtd.pid, /proc, /proc/stat btime, /etc/libvirt/qemu.conf",
  "facts.libvirt.guests_on_old_settings.unknown": "/proc/stat has no btime",
  "facts.libvirt.guests_on_old_settings.value": nil,
  "facts.libvirt.libvirtd.detail.source": "SysV rcN.d links of libvirtd",
  "facts.libvirt.libvirtd.detail.unknown": nil,
  "facts.libvirt.libvirtd.detail.value": "libvirtd not found",
  "facts.libvirt.libvirtd.enabled.source": "SysV rcN.d links of libvirtd",
  "facts.libvirt.libvirtd.enabled.unknown": nil,
  "facts.libvirt.libvirtd.enabled.value": false,
  "facts.libvirt.libvirtd.exists.source": "SysV rcN.d links of libvirtd",
  "facts.libvirt.libvirtd.exists.unknown": nil,
  "facts.libvirt.libvirtd.exists.value": false,
  "facts.libvirt.libvirtd.masked.source": "SysV rcN.d links of libvirtd",
  "facts.libvirt.libvirtd.masked.unknown": nil,
  "facts.libvirt.libvirtd.masked.value": false,
  "facts.libvirt.libvirtd.running.source": "SysV rcN.d links of libvirtd",
  "facts.libvirt.libvirtd.running.unknown": nil,
  "facts.libvirt.libvirtd.running.value": false,
  "facts.libvirt.mode.source": "enablement of libvirtd.service and virtqemud.service",
  "facts.libvirt.mode.unknown": nil,
  "facts.libvirt.mode.value": "none",
  "facts.libvirt.restart_owed.source": "/run/libvirtd.pid, /proc, /proc/stat btime, /etc/libvirt/qemu.conf",
  "facts.libvirt.restart_owed.unknown": "/proc/stat has no btime",
  "facts.libvirt.restart_owed.value": nil,
  "facts.libvirt.virtqemud.detail.source": "SysV rcN.d links of virtqemud",
  "facts.libvirt.virtqemud.detail.unknown": nil,
  "facts.libvirt.virtqemud.detail.value": "virtqemud not found",
  "facts.libvirt.virtqemud.enabled.source": "SysV rcN.d links of virtqemud",
  "facts.libvirt.virtqemud.enabled.unknown": nil,
  "facts.libvirt.virtqemud.enabled.value": false,
  "facts.libvirt.virtqemud.exists.source": "SysV rcN.d links of virtqemud",
  "facts.libvirt.virtqemud.exists.unknown": nil,
  "facts.libvirt.virtqemud.exists.value": false,
  "facts.libvirt.virtqemud.masked.source": "SysV rcN.d links of virtqemud",
  "facts.libvirt.virtqemud.masked.unknown": nil,
  "facts.libvirt.virtqemud.masked.value": false,
  "facts.libvirt.virtqemud.running.source": "SysV rcN.d links of virtqemud",
  "facts.libvirt.virtqemud.running.unknown": nil,
  "facts.libvirt.virtqemud.running.value": false,
]

/// What `virthost facts --format json --root <a copy of fixture>` prints, as leaves, with the
/// copy's path and whether the command reports a FAIL-level check.
struct FactsRun {
  let leaves: [String: JSONLeaf]
  let root: String
  let failed: Bool

  init(_ fixture: String) throws {
    let copy = try FixtureRoot(fixture)
    let output = try Facts.parse(["--root", copy.path, "--format", "json"]).render(environment: [:], isTerminal: false)
    leaves = try jsonLeaves(output.text)
    root = copy.path
    failed = output.failed
  }

  /// The leaves of the facts and the schema version: everything but `root` and `checks`.
  /// The facts' leaves but those of `virt-host-validate`'s facts (CPU flags, devices, cgroups,
  /// firmware IOMMU, secure guests, nested, KSM counters), which ValidateFactsTests checks
  /// fixture by fixture and against the tool itself, and those of the NUMA, huge page and
  /// CPU isolation facts, which NUMAFactsTests checks on the two-node fixture.
  var facts: [String: JSONLeaf] {
    leaves.filter { leaf in
      leaf.key != "root" && !leaf.key.hasPrefix("checks[") && !Self.validatePrefixes.contains { leaf.key.hasPrefix($0) }
    }
  }

  static let validatePrefixes = [
    "facts.cpu.flags.", "facts.devices.", "facts.cgroups.", "facts.firmware_iommu.", "facts.secure_guests.",
    "facts.nested.", "facts.ksm_counters.", "facts.numa.", "facts.huge_pages.", "facts.cpu_isolation.",
  ]

  /// The checks as `LEVEL name: message` lines, with `(hint: …)` when there is one.
  var checks: [String] {
    var lines: [String] = []
    while case .string(let level)? = leaves["checks[\(lines.count)].level"] {
      let field = { (name: String) -> String in
        if case .string(let text)? = leaves["checks[\(lines.count)].\(name)"] { return text }
        return ""
      }
      let hint = field("hint")
      lines.append("\(level) \(field("name")): \(field("message"))" + (hint.isEmpty ? "" : " (hint: \(hint))"))
    }
    return lines
  }
}

/// Expects every leaf to be as expected, naming each one that differs, missing or extra.
func expectLeaves(
  _ actual: [String: JSONLeaf], _ expected: [String: JSONLeaf], sourceLocation: SourceLocation = #_sourceLocation
) {
  for key in Set(actual.keys).union(expected.keys).sorted() {
    #expect(actual[key] == expected[key], "\(key)", sourceLocation: sourceLocation)
  }
}

extension Dictionary where Key == String, Value == JSONLeaf {
  /// These leaves with GRUB 2's `facts.boot.coverage` known: each of `arguments` in every
  /// one of `sources` and on the running kernel, read from `source`.
  func covered(_ arguments: [String], in sources: [String], source: String) -> Self {
    var result = self
    result.removeValue(forKey: "facts.boot.coverage.value")
    result["facts.boot.coverage.source"] = .string(source)
    result["facts.boot.coverage.unknown"] = .null
    for (index, argument) in arguments.enumerated() {
      let prefix = "facts.boot.coverage.value[\(index)]"
      result["\(prefix).argument"] = .string(argument)
      result["\(prefix).running"] = .bool(true)
      for name in sources { result["\(prefix).sources.\(name)"] = .bool(true) }
    }
    return result
  }

  /// These leaves with the next boot's entry unknown, as on a GRUB 2 root with no
  /// generated grub.cfg.
  func withoutGeneratedMenu() -> Self {
    var result = filter { !$0.key.hasPrefix("facts.boot.next_entry.") }
    result["facts.boot.next_entry.source"] = "boot loader configuration"
    result["facts.boot.next_entry.unknown"] =
      "no generated grub.cfg (/boot/grub/grub.cfg, /boot/grub2/grub.cfg) to read the menu from"
    result["facts.boot.next_entry.value"] = .null
    return result
  }

  /// These leaves with the `source` of each fact in `fields` under `prefix` set to `source`.
  func sourced(_ prefix: String, _ fields: [String], _ source: String) -> Self {
    var result = self
    for field in fields { result["\(prefix).\(field).source"] = .string(source) }
    return result
  }

  /// These leaves with every service of a systemd host (`init_system`, the enablement facts'
  /// sources, the running facts' sources) as the service editor reports them.
  func systemdServices() -> Self {
    var result = changing([
      "facts.services.init_system.value": "systemd",
      "facts.services.semantics.value": .string(
        "services follow systemctl (systemd, RHEL family: no family marker found, RHEL's unit search path assumed "
          + "(/usr/lib/systemd/system first))"),
    ])
    let services = [
      ("services.ksm", "ksm"), ("services.ksmtuned", "ksmtuned"), ("services.virthost_ksmtuned", "virthost-ksmtuned"),
      ("libvirt.libvirtd", "libvirtd"), ("libvirt.virtqemud", "virtqemud"),
    ]
    for (key, unit) in services {
      result = result.sourced(
        "facts.\(key)", ["detail", "enabled", "exists", "masked"], "systemd links of \(unit).service")
      if result["facts.\(key).running.unknown"] != .null {
        result["facts.\(key).running.source"] = .string("systemctl is-active \(unit)")
      } else {
        result["facts.\(key).running.source"] = .string("systemd links of \(unit).service")
      }
    }
    // systemd's reader words a missing unit "not found"; SysV's names the script.
    result["facts.libvirt.libvirtd.detail.value"] = "not found"
    result["facts.libvirt.virtqemud.detail.value"] = "not found"
    return result
  }
}
