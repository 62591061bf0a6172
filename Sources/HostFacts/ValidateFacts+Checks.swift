extension ValidateFacts {
  /// The readiness checks of these facts, always these names in this order: `/dev/kvm access`,
  /// `/dev/vhost-net`, `/dev/net/tun`, `cgroup cpu controller`, `cgroup cpuacct controller`,
  /// `cgroup cpuset controller`, `cgroup memory controller`, `cgroup devices controller`,
  /// `cgroup blkio controller`, `IOMMU in firmware`, `secure guests`, `nested virtualization`.
  ///
  /// The levels are `virt-host-validate qemu`'s: only what stops QEMU guests fails (`/dev/kvm`
  /// not openable, no `/dev/net/tun`); the rest warns. An unknown fact warns with
  /// `cannot tell: <reason>` and no hint. They complement ``HostFacts/checks`` (hardware
  /// virtualization, `/dev/kvm` present, the IOMMU in the kernel, reboot, KSM), which they do
  /// not repeat, except `IOMMU in firmware`, which this one replaces (it adds Arm's IORT).
  public var checks: [ReadinessCheck] {
    [kvmAccessCheck, vhostNetCheck, tunCheck] + CgroupFacts.required.map(cgroupCheck)
      + [firmwareIOMMUCheck, secureGuestsCheck, nestedCheck]
  }

  var kvmAccessCheck: ReadinessCheck {
    let name = "/dev/kvm access"
    let node = devices.kvm
    guard let present = node.present.value else { return ReadinessCheck.cannotTell(name, node.present) }
    guard present else {
      return ReadinessCheck(
        name: name, level: .warn, message: "cannot tell: /dev/kvm does not exist (see the /dev/kvm check)")
    }
    if node.isDevice(live: devices.live) == false {
      return ReadinessCheck(
        name: name, level: .fail, message: "/dev/kvm is a \(node.kind.value ?? "file"), not the KVM device",
        hint: "remove it, then load the KVM module (modprobe kvm_amd or kvm_intel) so that udev makes the device")
    }
    let permissions = node.permissions.value.map { " (mode, owner:group \($0))" } ?? ""
    switch node.accessible.value {
    case true?:
      return ReadinessCheck(name: name, level: .pass, message: "/dev/kvm\(permissions) is readable and writable")
    case false?:
      return ReadinessCheck(
        name: name, level: .fail, message: "/dev/kvm\(permissions) is not readable and writable by the caller",
        hint: "add the user that runs QEMU to the group of /dev/kvm (usually kvm), or make it mode 0666 as udev does")
    case nil: return ReadinessCheck.cannotTell(name, node.accessible)
    }
  }

  var vhostNetCheck: ReadinessCheck {
    let name = "/dev/vhost-net"
    switch devices.vhostNet.present.value {
    case true?: return ReadinessCheck(name: name, level: .pass, message: "/dev/vhost-net exists")
    case false?:
      return ReadinessCheck(
        name: name, level: .warn,
        message: "/dev/vhost-net does not exist: virtio networking runs in QEMU, more slowly",
        hint: "load the vhost_net module: modprobe vhost_net, and list it in /etc/modules-load.d/ to load it at boot")
    case nil: return ReadinessCheck.cannotTell(name, devices.vhostNet.present)
    }
  }

  var tunCheck: ReadinessCheck {
    let name = "/dev/net/tun"
    switch devices.tun.present.value {
    case true?: return ReadinessCheck(name: name, level: .pass, message: "/dev/net/tun exists")
    case false?:
      return ReadinessCheck(
        name: name, level: .fail,
        message: "/dev/net/tun does not exist: guests cannot have TAP network devices",
        hint: "load the tun module: modprobe tun, and list it in /etc/modules-load.d/ to load it at boot")
    case nil: return ReadinessCheck.cannotTell(name, devices.tun.present)
    }
  }

  /// The kernel option that builds each controller in.
  private static let cgroupOptions = [
    "cpu": "CONFIG_CGROUP_SCHED", "cpuacct": "CONFIG_CGROUP_CPUACCT", "cpuset": "CONFIG_CPUSETS",
    "memory": "CONFIG_MEMCG", "devices": "CONFIG_CGROUP_DEVICE", "blkio": "CONFIG_BLK_CGROUP",
  ]

  func cgroupCheck(_ controller: String) -> ReadinessCheck {
    let name = "cgroup \(controller) controller"
    guard let fact = cgroups.controllers[controller] else {
      return ReadinessCheck(name: name, level: .warn, message: "cannot tell: not read")
    }
    switch fact.value {
    case true?:
      return ReadinessCheck(
        name: name, level: .pass, message: "libvirt finds the \(controller) controller in \(fact.source)")
    case false?:
      let option = Self.cgroupOptions[controller] ?? "its option"
      let layout = cgroups.layout.value ?? "none"
      let hint =
        layout == "v2" || layout == "hybrid"
        ? "build the kernel with \(option)=y and boot without cgroup_disable=\(controller)"
        : "mount it (systemd does at boot; else mount -t cgroup -o \(controller) cgroup /sys/fs/cgroup/\(controller)), "
          + "or build the kernel with \(option)=y"
      return ReadinessCheck(
        name: name, level: .warn,
        message: "no \(controller) controller (cgroup layout: \(layout)): libvirt cannot limit guests' \(controller)",
        hint: hint)
    case nil: return ReadinessCheck.cannotTell(name, fact)
    }
  }

  var firmwareIOMMUCheck: ReadinessCheck {
    let name = "IOMMU in firmware"
    guard let tables = firmwareIOMMU.tables.value else { return ReadinessCheck.cannotTell(name, firmwareIOMMU.tables) }
    let hint = "if guests need PCI passthrough, enable %@ in the BIOS setup"
    switch cpu.iommuVendor {
    case .intel where tables.contains("DMAR"), .amd where tables.contains("IVRS"):
      let (table, iommu) = cpu.iommuVendor == .intel ? ("DMAR", "VT-d") : ("IVRS", "AMD-Vi")
      return ReadinessCheck(name: name, level: .pass, message: "the firmware announces \(iommu) (ACPI table \(table))")
    case .intel, .amd:
      let (table, iommu, setting) =
        cpu.iommuVendor == .intel ? ("DMAR", "VT-d", "VT-d") : ("IVRS", "AMD-Vi", "the IOMMU (AMD-Vi)")
      return ReadinessCheck(
        name: name, level: .warn,
        message: "no ACPI \(table) table: \(iommu) is off in the BIOS or not supported by this platform",
        hint: hint.replacingPlaceholder(with: setting))
    case .unknown where tables.contains("IORT"):
      switch firmwareIOMMU.iortHasSMMU.value {
      case true?: return ReadinessCheck(name: name, level: .pass, message: "the firmware announces an SMMU (ACPI IORT)")
      case false?:
        return ReadinessCheck(
          name: name, level: .warn, message: "the ACPI IORT table describes no SMMU",
          hint: hint.replacingPlaceholder(with: "the SMMU"))
      case nil: return ReadinessCheck.cannotTell(name, firmwareIOMMU.iortHasSMMU)
      }
    case .unknown:
      return ReadinessCheck(
        name: name, level: .warn,
        message: "cannot tell: the CPU is neither Intel nor AMD (vendor_id \"\(cpu.vendorID.value ?? "unknown")\") "
          + "and the firmware has no ACPI IORT table")
    }
  }

  var secureGuestsCheck: ReadinessCheck {
    let name = "secure guests"
    let flags = secureGuests.cpuFlags.value ?? []
    if flags.contains("sev") {
      return amdSecureGuestsCheck(name, flags: flags)
    }
    if flags.contains("tdx_host_platform") || secureGuests.tdx.value != nil {
      switch secureGuests.tdx.value {
      case true?: return ReadinessCheck(name: name, level: .pass, message: "Intel TDX is enabled in kvm_intel")
      case false?:
        return ReadinessCheck(
          name: name, level: .warn, message: "Intel TDX is off in kvm_intel (tdx = N)",
          hint: "enable TDX in the BIOS setup and add kvm_intel.tdx=1 to the kernel arguments")
      case nil:
        return ReadinessCheck(
          name: name, level: .warn, message: "the CPU can host TDX, but the kernel's kvm_intel does not offer it",
          hint: "use a kernel whose kvm_intel supports TDX (Linux 6.16 or later) and load kvm_intel")
      }
    }
    if secureGuests.cpuFlags.value == nil { return ReadinessCheck.cannotTell(name, secureGuests.cpuFlags) }
    return ReadinessCheck(
      name: name, level: .warn,
      message: "no secure-guest technology: the CPU shows no sev flag and the kernel reports no Intel TDX",
      hint: "only confidential guests need one: AMD SEV (EPYC) or Intel TDX (Xeon)")
  }

  private func amdSecureGuestsCheck(_ name: String, flags: [String]) -> ReadinessCheck {
    switch secureGuests.sev.value {
    case nil:
      return ReadinessCheck(
        name: name, level: .warn,
        message: "the CPU has SEV, but the running kernel does not offer it (\(secureGuests.sev.unknown ?? ""))",
        hint: "load kvm_amd (modprobe kvm_amd), from a kernel built with CONFIG_KVM_AMD_SEV=y")
    case false?:
      return ReadinessCheck(
        name: name, level: .warn, message: "AMD SEV is off in kvm_amd (sev = N)",
        hint: "add kvm_amd.sev=1 to the kernel arguments in the boot loader and reboot")
    case true?:
      guard secureGuests.sevDevice.value == true else {
        return ReadinessCheck(
          name: name, level: .warn,
          message: "AMD SEV is on in kvm_amd but /dev/sev does not exist: off in the firmware",
          hint: "enable SEV (and SME) in the BIOS setup, and load the ccp module")
      }
      var offered = ["AMD SEV"]
      var notes: [String] = []
      for (flag, fact, words) in [
        ("sev_es", secureGuests.sevES, "SEV-ES"), ("sev_snp", secureGuests.sevSNP, "SEV-SNP"),
      ]
      where flags.contains(flag) {
        if fact.value == true {
          offered.append(words)
        } else {
          notes.append("the CPU has \(words), kvm_amd.\(flag) is off")
        }
      }
      let list = offered.count == 1 ? offered[0] : offered.dropLast().joined(separator: ", ") + " and " + offered.last!
      let note = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"
      return ReadinessCheck(name: name, level: .pass, message: "\(list) available\(note)")
    }
  }

  var nestedCheck: ReadinessCheck {
    let name = "nested virtualization"
    guard let module = nested.module.value else { return ReadinessCheck.cannotTell(name, nested.module) }
    switch nested.enabled.value {
    case true?:
      return ReadinessCheck(name: name, level: .pass, message: "\(module) lets guests run hypervisors (nested = Y)")
    case false?:
      return ReadinessCheck(
        name: name, level: .warn, message: "\(module) runs with nested = N: guests cannot run hypervisors",
        hint: "only if guests run hypervisors: options \(module) nested=1 in /etc/modprobe.d/kvm.conf, "
          + "then reload \(module) with no guest running")
    case nil: return ReadinessCheck.cannotTell(name, nested.enabled)
    }
  }
}

extension String {
  /// The string with its `%@` replaced by `value`.
  fileprivate func replacingPlaceholder(with value: String) -> String {
    guard let range = range(of: "%@") else { return self }
    return replacingCharacters(in: range, with: value)
  }
}
