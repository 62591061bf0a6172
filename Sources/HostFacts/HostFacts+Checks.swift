extension HostFacts {
  /// The readiness checks of these facts, always the same names in the same order, those of
  /// `virt-host-validate qemu` where it has them: `hardware virtualization`, `64-bit CPU`,
  /// `/dev/kvm`, `/dev/kvm access`, `/dev/vhost-net`, `/dev/net/tun`, the six
  /// `cgroup <name> controller`, `IOMMU in firmware`, `IOMMU in kernel build`,
  /// `IOMMU enabled by kernel`, `secure guests`, `nested virtualization`, `reboot pending`,
  /// `KSM in kernel build`, `KSM running`, `KSM services at boot`; then `PCI passthrough` on a
  /// host that configures devices for vfio-pci, and `hugetlbfs mounts` on a host with huge pages reserved.
  ///
  /// Only what stops KVM guests fails (no KVM, `/dev/kvm` not openable, no `/dev/net/tun`);
  /// what KVM can do without (IOMMU, KSM, cgroups) warns; a fact that is unknown
  /// warns with the reason and no hint.
  public var checks: [ReadinessCheck] {
    [
      hardwareVirtualizationCheck, longModeCheck, deviceCheck, validate.kvmAccessCheck, validate.vhostNetCheck,
      validate.tunCheck,
    ] + CgroupFacts.required.map(validate.cgroupCheck) + [
      validate.firmwareIOMMUCheck, kernelIOMMUBuildCheck, kernelIOMMUCheck, validate.secureGuestsCheck,
      validate.nestedCheck, rebootCheck, ksmBuildCheck, ksmRunningCheck, ksmServicesCheck,
    ] + (passthroughCheck.map { [$0] } ?? []) + (hugePages.mountsCheck.map { [$0] } ?? [])
  }

  private var vendor: VendorTerms { VendorTerms(cpu.iommuVendor) }

  private func cannotTell<T>(_ name: String, _ fact: Fact<T>) -> ReadinessCheck {
    ReadinessCheck.cannotTell(name, fact)
  }

  /// ``kvmAvailability`` in words.
  private var hardwareVirtualizationCheck: ReadinessCheck {
    let name = "hardware virtualization"
    switch kvmAvailability {
    case .hardware:
      return ReadinessCheck(name: name, level: .pass, message: "the CPU has \(vendor.virtualization)")
    case .withoutFlags:
      return ReadinessCheck(
        name: name, level: .warn,
        message: "the CPU shows neither svm nor vmx, yet /dev/kvm exists: KVM is provided another way "
          + "(nested or paravirtualized)",
        hint: "on bare metal, enable \(vendor.biosVirtualization) in the BIOS setup; in a virtual machine, "
          + "ask for nested virtualization")
    case .unavailable where cpu.hardwareVirtualization.value == true:
      return ReadinessCheck(
        name: name, level: .fail, message: "the kernel is built without KVM (CONFIG_KVM is not set)",
        hint: "boot a kernel built with CONFIG_KVM")
    case .unavailable:
      return ReadinessCheck(
        name: name, level: .fail,
        message: "the CPU does not show \(vendor.virtualization): switched off in the BIOS or not supported",
        hint: "enable \(vendor.biosVirtualization) in the BIOS setup")
    case .unknown:
      return cannotTell(name, cpu.hardwareVirtualization)
    }
  }

  private var longModeCheck: ReadinessCheck {
    let name = "64-bit CPU"
    switch cpu.longMode.value {
    case true?: return ReadinessCheck(name: name, level: .pass, message: "the CPU runs 64-bit code (lm)")
    case false?:
      return ReadinessCheck(
        name: name, level: .warn, message: "the CPU has no lm flag: it runs 32-bit code only",
        hint: "use a 64-bit CPU to run 64-bit guests")
    case nil: return cannotTell(name, cpu.longMode)
    }
  }

  private var deviceCheck: ReadinessCheck {
    let name = "/dev/kvm"
    switch kvm.device.value {
    case true?: return ReadinessCheck(name: name, level: .pass, message: "/dev/kvm exists")
    case false?:
      let module = kvm.module.value ?? "kvm_amd or kvm_intel"
      let hint =
        cpu.hardwareVirtualization.value == false
        ? "enable \(vendor.biosVirtualization) in the BIOS setup, then load the \(module) module: modprobe \(module)"
        : "load the \(module) module: modprobe \(module); if that fails, the kernel log says why"
      return ReadinessCheck(name: name, level: .fail, message: "/dev/kvm does not exist", hint: hint)
    case nil: return cannotTell(name, kvm.device)
    }
  }

  private var kernelIOMMUBuildCheck: ReadinessCheck {
    let name = "IOMMU in kernel build"
    let facts = vendor.iommuOptions.map { kernel.config($0) }
    if let built = zip(vendor.iommuOptions, facts).first(where: { $0.1.value == "y" }) {
      return ReadinessCheck(name: name, level: .pass, message: "the kernel is built with \(built.0)=y")
    }
    if let unknown = facts.first(where: { $0.value == nil }) { return cannotTell(name, unknown) }
    let found = zip(vendor.iommuOptions, facts).map { "\($0.0)=\($0.1.value ?? "")" }.joined(separator: ", ")
    return ReadinessCheck(
      name: name, level: .warn, message: "the kernel is built without \(vendor.iommu) support (\(found))",
      hint: "install a kernel built with \(vendor.iommuOptions.map { "\($0)=y" }.joined(separator: " or "))")
  }

  private var kernelIOMMUCheck: ReadinessCheck {
    let name = "IOMMU enabled by kernel"
    switch iommu.active.value {
    case true?:
      let mode = iommu.passthrough.value == true ? " in passthrough mode" : ""
      return ReadinessCheck(name: name, level: .pass, message: "the kernel runs the IOMMU\(mode)")
    case false?:
      var message = "the kernel does not run the IOMMU"
      if iommu.active.source == iommu.bootLog.source, let words = iommu.bootLog.value?.first(where: isIOMMUOffLine) {
        message += ": the boot log says \"\(words)\""
      }
      let onCommandLine = vendor.iommuArguments.filter { kernel.cmdline.value?.contains($0) == true }
      let pending = vendor.iommuArguments.filter { boot.pendingArguments.value?.contains($0) == true }
      let hint: String
      if let argument = pending.first {
        message += "; \(argument) is configured, reboot pending"
        hint = "reboot to start the kernel with \(argument)"
      } else if iommu.firmwareTables.value.map({ $0.allSatisfy { !vendor.tables.contains($0) } }) == true {
        hint = "enable \(vendor.biosIOMMU) in the BIOS setup first"
      } else if let argument = onCommandLine.first {
        hint = "\(argument) is on the kernel command line already: check the BIOS setup and the boot log"
      } else {
        hint =
          "add \(vendor.iommuArguments.joined(separator: " or ")) to the kernel arguments in the boot loader and reboot"
      }
      return ReadinessCheck(name: name, level: .warn, message: message, hint: hint)
    case nil: return cannotTell(name, iommu.active)
    }
  }

  private var rebootCheck: ReadinessCheck {
    let name = "reboot pending"
    guard let pending = boot.pendingArguments.value else { return cannotTell(name, boot.pendingArguments) }
    if pending.isEmpty {
      return ReadinessCheck(
        name: name, level: .pass,
        message: "the running kernel has every argument of the boot loader's default entry")
    }
    return ReadinessCheck(
      name: name, level: .warn,
      message: "configured, reboot pending: \(pending.joined(separator: " ")) in \(boot.configuredArguments.source) "
        + "not on \(kernel.cmdline.source)",
      hint: "reboot to start the kernel with \(pending.count == 1 ? "it" : "them")")
  }

  /// The first KSM tuner (`ksmtuned`, `virthost-ksmtuned`) known to run now.
  private var runningTuner: String? {
    services.tuners.first { $0.facts.running.value == true }?.name
  }

  private var ksmServicesCheck: ReadinessCheck {
    let name = "KSM services at boot"
    let all = [("ksm", services.ksm)] + services.tuners
    if let unknown = all.flatMap({ [$0.1.exists, $0.1.enabled] }).first(where: { $0.value == nil }) {
      return cannotTell(name, unknown)
    }
    let tuners = services.tuners.filter { $0.facts.exists.value == true }
    guard !tuners.isEmpty else {
      return ReadinessCheck(
        name: name, level: .warn, message: "no KSM tuner (ksmtuned, virthost-ksmtuned) is installed",
        hint: "install ksmtuned, or let virthost install virthost-ksmtuned")
    }
    // Where a ksm service exists (CentOS, RHEL), it starts KSM at boot; elsewhere the tuner does.
    let needed = (services.ksm.exists.value == true ? [("ksm", services.ksm)] : []) + tuners
    let enabled = needed.filter { $0.1.enabled.value == true }.map(\.0)
    let tunerEnabled = tuners.contains { $0.facts.enabled.value == true }
    // Masked is off at boot on purpose (systemctl enable would refuse it): never hint "enable" for it.
    let masked = needed.filter { $0.1.masked.value == true }.map(\.0)
    let off =
      (services.ksm.exists.value == true && services.ksm.enabled.value != true ? ["ksm"] : [])
      + (tunerEnabled ? [] : tuners.filter { $0.facts.masked.value != true }.prefix(1).map(\.name))
    let enable = off.filter { !masked.contains($0) }
    if !masked.isEmpty && enable.isEmpty {
      return ReadinessCheck(
        name: name, level: .warn,
        message: "\(masked.joined(separator: " and ")) \(masked.count == 1 ? "is" : "are") masked: off at boot",
        hint: "systemctl unmask \(masked.joined(separator: " ")), if KSM should start at boot")
    }
    if off.isEmpty {
      return ReadinessCheck(
        name: name, level: .pass,
        message: "\(enabled.joined(separator: " and ")) start\(enabled.count == 1 ? "s" : "") at boot")
    }
    let hint =
      services.initSystem.value == "systemd"
      ? "systemctl enable \(enable.joined(separator: " "))"
      : enable.map { "chkconfig \($0) on" }.joined(separator: "; ")
    return ReadinessCheck(
      name: name, level: .warn,
      message: "\(off.joined(separator: " and ")) \(off.count == 1 ? "does" : "do") not start at boot", hint: hint)
  }

  private func isIOMMUOffLine(_ line: String) -> Bool {
    line.contains("disabled") || line.contains("not enabled")
  }

  private var ksmBuildCheck: ReadinessCheck {
    let name = "KSM in kernel build"
    let option = kernel.config("CONFIG_KSM")
    switch option.value {
    case "y"?: return ReadinessCheck(name: name, level: .pass, message: "the kernel is built with CONFIG_KSM=y")
    case let value?:
      return ReadinessCheck(
        name: name, level: .warn, message: "the kernel is built without KSM (CONFIG_KSM=\(value))",
        hint: "install a kernel built with CONFIG_KSM=y to share identical guest memory")
    case nil:
      if ksm.run.value != nil {
        return ReadinessCheck(name: name, level: .pass, message: "the kernel has KSM (\(KSMFacts.folder) exists)")
      }
      return cannotTell(name, option)
    }
  }

  private var ksmRunningCheck: ReadinessCheck {
    let name = "KSM running"
    switch ksm.run.value {
    case 1?:
      // The kernel's own count of what merging saves (general_profit, 6.1 and later) where it has one.
      let profit = validate.ksmCounters.profitBytes?.value
      let saved =
        profit.map { ": it saves \(ByteCount.human($0)) (general_profit)" }
        ?? ksm.savedBytes.value.map { ": it saves \(ByteCount.human($0))" } ?? ""
      return ReadinessCheck(name: name, level: .pass, message: "KSM is running\(saved)")
    case 0? where runningTuner != nil:
      return ReadinessCheck(
        name: name, level: .pass,
        message: "KSM is stopped (run = 0); \(runningTuner ?? "") runs and starts it when free memory runs short")
    case 0?:
      return ReadinessCheck(
        name: name, level: .warn, message: "KSM is stopped (run = 0)",
        hint: "start the ksm and ksmtuned services and enable them at boot; ksmtuned starts KSM "
          + "when free memory runs short")
    case let run?:
      return ReadinessCheck(
        name: name, level: .warn, message: "KSM is \(KSMFacts.meaning(ofRun: run)) (run = \(run))",
        hint: "write 1 to \(KSMFacts.folder)/run, or start the ksm service, to run it again")
    case nil where kernel.config("CONFIG_KSM").value == "n":
      return ReadinessCheck(name: name, level: .warn, message: "KSM cannot run: the kernel is built without it")
    case nil:
      return cannotTell(name, ksm.run)
    }
  }
}

/// The names a vendor gives to the same things: flag, IOMMU, ACPI table, kernel argument.
private struct VendorTerms {
  let virtualization: String
  let biosVirtualization: String
  let iommu: String
  let biosIOMMU: String
  let tables: [String]
  let iommuOptions: [String]
  let iommuArguments: [String]

  init(_ vendor: CPUFacts.Vendor) {
    switch vendor {
    case .amd:
      (virtualization, biosVirtualization) = ("svm (AMD-V)", "SVM (AMD-V)")
      (iommu, biosIOMMU, tables) = ("AMD-Vi", "the IOMMU (AMD-Vi)", ["IVRS"])
      (iommuOptions, iommuArguments) = (["CONFIG_AMD_IOMMU"], ["amd_iommu=on"])
    case .intel:
      (virtualization, biosVirtualization) = ("vmx (VT-x)", "VT-x")
      (iommu, biosIOMMU, tables) = ("VT-d", "VT-d", ["DMAR"])
      (iommuOptions, iommuArguments) = (["CONFIG_INTEL_IOMMU"], ["intel_iommu=on"])
    case .unknown:
      (virtualization, biosVirtualization) = ("svm or vmx", "SVM (AMD-V) or VT-x")
      (iommu, biosIOMMU, tables) = ("IOMMU", "the IOMMU (AMD-Vi or VT-d)", IOMMUFacts.tables)
      (iommuOptions, iommuArguments) = (
        ["CONFIG_AMD_IOMMU", "CONFIG_INTEL_IOMMU"], ["amd_iommu=on", "intel_iommu=on"]
      )
    }
  }
}

extension HostFacts {
  /// `PCI passthrough`, only on a host that configures devices for `vfio-pci` (by IDs or by
  /// virthost's udev rule): each device selected must be bound to `vfio-pci`, and no twin of a
  /// device selected by address may be. A device elsewhere fails once the host has booted with
  /// the configuration (``PCIFacts/bootedWithVFIOConfiguration``), a held one before that boot,
  /// or one bound to no driver yet (vfio-pci not loaded), warns: the boot has not happened.
  var passthroughCheck: ReadinessCheck? {
    let name = "PCI passthrough"
    let ids = pci.vfioIDs.value ?? []
    let addresses = pci.vfioAddresses.value ?? []
    guard !ids.isEmpty || !addresses.isEmpty else { return nil }
    guard pci.devices.value != nil else { return ReadinessCheck.cannotTell(name, pci.devices) }
    let moved = pci.passthrough.filter { $0.selection != .twin }
    if moved.isEmpty {
      return ReadinessCheck(
        name: name, level: .fail,
        message: "no PCI device has the IDs or addresses configured for vfio-pci ("
          + (ids + addresses).joined(separator: ",") + ")",
        hint: "check the IDs against `lspci -nn` and the addresses against `lspci -D`")
    }
    let twins = pci.passthrough.filter { $0.selection == .twin }
    let wrong = pci.passthrough.filter { !$0.isInPlace }
    guard !wrong.isEmpty else {
      let stays = twins.map { "; \($0.address) [\($0.ids)] stays with \($0.driver ?? "no driver")" }.joined()
      return ReadinessCheck(
        name: name, level: .pass,
        message: moved.map { "\($0.address) [\($0.ids)]" }.joined(separator: ", ") + " bound to vfio-pci" + stays)
    }
    let reasons = wrong.map { device in
      device.selection == .twin
        ? "\(device.address) [\(device.ids)] is bound to vfio-pci, though no rule selects it"
        : "\(device.address) [\(device.ids)] is bound to \(device.driver ?? "no driver"), not vfio-pci"
    }
    // Before the boot that carries the configuration a device is still where it was; after it,
    // one held by its host driver, or a twin taken, will not change without a change.
    let booted = pci.bootedWithVFIOConfiguration.value == true
    let held = wrong.contains { $0.driver != nil }
    return ReadinessCheck(
      name: name, level: booted && held ? .fail : .warn,
      message: reasons.joined(separator: "; ") + (booted ? "" : " (the host has not booted with the vfio files yet)"),
      hint: "reboot after the initramfs is rebuilt; a host driver loaded first takes the device: "
        + "softdep it on vfio-pci (passthrough.host_drivers), or select the device by address")
  }
}
