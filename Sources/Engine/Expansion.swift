import Editors
import HostConfig

/// How the high-level keys of a desired state (`iommu`, `ksm`, `services`,
/// `sysctl`) expand into providers of concrete resources on one host.
///
/// Every resource that comes out names its origin key, so the expansion shows in the plan.
struct Expansion {
  let spec: HostSpec
  let profile: HostProfile
  /// The NUMA, page size and CPU facts `hugepages:` and `cpu:` are checked against; `nil`
  /// when the desired state has neither key.
  let tuning: TuningFacts?
  /// The next boot's kernel as `passthrough:` needs it; `nil` without that key.
  let passthroughKernel: PassthroughKernel?
  var diagnostics: [Diagnostic] = []

  init(spec: HostSpec, profile: HostProfile, tuning: TuningFacts? = nil, passthroughKernel: PassthroughKernel? = nil) {
    self.spec = spec
    self.profile = profile
    self.tuning = tuning
    self.passthroughKernel = passthroughKernel
  }

  /// The providers in apply order: files, then services, then live values.
  mutating func providers() -> [any ResourceProvider] {
    checkPreconditions()
    var result: [any ResourceProvider] = []
    let huge = hugePagesPlan()
    let isolation = cpuIsolationPlan()
    let wants = kernelWants() + (huge?.kernelWants ?? []) + (isolation?.kernelWants ?? [])
    if !wants.isEmpty { result.append(KernelArgsProvider(entries: spec.kernel?.entries ?? .all, wants: wants)) }
    if let ksm = spec.ksm, !ksm.settings.isEmpty { result.append(KsmtunedConfProvider(settings: ksm.settings)) }
    if spec.ksm?.enabled == true, spec.ksm?.tuner == .bundled { result.append(BundledTunerProvider()) }
    let sysctl = spec.sysctl + (huge?.sysctl ?? [])
    // A key the desired state names itself is not taken out.
    let removals = (huge?.sysctlRemovals ?? []).filter { removal in
      !sysctl.contains { SysctlKey($0.name) == SysctlKey(removal.key) }
    }
    if !sysctl.isEmpty || !removals.isEmpty {
      result.append(SysctlFileProvider(settings: sysctl, removals: removals))
    }
    if let huge { result.append(HugePagesUnitProvider(writes: huge.unitWrites)) }
    if let isolation { result += isolationFiles(isolation) }
    if let passthrough = spec.passthrough {
      result.append(
        PassthroughProvider(passthrough: passthrough, kernel: passthroughKernel ?? PassthroughKernel.unknown))
    }
    if let kvm = spec.kvm, kvm.nested != nil || !kvm.options.isEmpty { result.append(KVMOptionsProvider(kvm: kvm)) }
    let intents = distinct(ksmServices() + spec.services.map(serviceIntent) + hugePagesService(huge))
    if !intents.isEmpty { result.append(ServiceProvider(intents: intents)) }
    let live = liveWants() + (huge?.liveWants ?? [])
    if !live.isEmpty { result.append(LiveValueProvider(wants: live)) }
    return result
  }

  /// virthost's boot unit for runtime huge pages: enabled while it has writes, else disabled.
  private func hugePagesService(_ huge: HugePagesPlan?) -> [ServiceProvider.Intent] {
    guard let huge else { return [] }
    let name = HugePagesUnit.service
    if huge.unitWrites.isEmpty {
      return [
        .init(
          name: name, enabled: false, running: nil, origin: "hugepages", setting: "hugepages",
          reason: "hugepages no longer reserves pages at boot through the unit", required: false)
      ]
    }
    return [
      .init(
        name: name, enabled: true, running: nil, origin: "hugepages", setting: "hugepages.mode: runtime",
        reason: "hugepages.mode: runtime repeats the per-node writes at each boot", required: true,
        installedByPlan: true)
    ]
  }

  /// The files of `cpu.isolated`: systemd's `CPUAffinity=` drop-in (where systemd is installed)
  /// and irqbalance's banned list (only where irqbalance is installed).
  private func isolationFiles(_ plan: CPUIsolationPlan) -> [any ResourceProvider] {
    var result: [any ResourceProvider] = []
    let origin = CPUIsolationPlan.origin
    if plan.systemd {
      result.append(
        SettingFileProvider(
          path: IsolationFiles.affinityDropIn, lens: IsolationFiles.systemdLens, key: "Manager/CPUAffinity",
          valueChild: true, resetsFirst: true, value: plan.housekeeping?.description, ownsFile: true, origin: origin,
          reason: plan.housekeeping.map { "cpu.isolated keeps systemd and the services it starts on \($0)" }
            ?? "cpu.isolated: none lets systemd run on every CPU"))
    }
    if let file = plan.irqbalanceFile {
      result.append(
        SettingFileProvider(
          path: file, lens: IsolationFiles.shellLens, key: IsolationFiles.bannedVariable, valueChild: false,
          value: plan.banned?.description, ownsFile: false, overriding: [IsolationFiles.bannedMaskVariable],
          origin: origin,
          reason: plan.banned.map { "cpu.isolated keeps irqbalance's interrupts off \($0)" }
            ?? "cpu.isolated: none lets irqbalance use every CPU"))
    }
    return result
  }

  /// The keys that exist for KVM guests and cannot help a host without KVM.
  private var kvmKeys: [String] {
    (spec.iommu == .on ? ["iommu"] : []) + (spec.ksm?.enabled == true ? ["ksm.enabled"] : [])
  }

  /// The preconditions, on the one KVM verdict facts show (``HostProfile/kvm``): KVM provided
  /// without the CPU flags (nested, paravirtualized) or not known is a warning for every
  /// spec; no KVM at all is an error for each key that exists for KVM guests, and a warning
  /// for a spec without them (ksmtuned.conf, sysctl and services still plan).
  private mutating func checkPreconditions() {
    switch profile.kvm {
    case .hardware: break
    case .unknown:
      diagnostics.append(
        Diagnostic(
          .warning, .virtualizationUnknown, "cannot tell whether the CPU has hardware virtualization",
          detail: "/proc/cpuinfo under the root has no flags line."))
    case .withoutFlags:
      diagnostics.append(
        Diagnostic(
          .warning, .noHardwareVirtualization,
          "the CPU shows neither svm nor vmx, yet /dev/kvm exists: KVM is provided another way (nested or paravirtualized)",
          detail: "KVM guests run; the plan goes on."))
    case .unavailable:
      let lacksKVM = profile.kernelLacks("CONFIG_KVM")
      let code: Diagnostic.Code = lacksKVM ? .kernelWithoutKVM : .noHardwareVirtualization
      let summary =
        lacksKVM
        ? "the kernel is built without KVM (CONFIG_KVM is not set)"
        : "the CPU has no hardware virtualization (no svm or vmx flag)"
      let detail =
        lacksKVM
        ? "Boot a kernel with KVM."
        : "KVM guests cannot run here. Turn on SVM or VT-x in the firmware setup if the CPU has it."
      if kvmKeys.isEmpty {
        diagnostics.append(Diagnostic(.warning, code, summary, detail: detail))
      }
      for key in kvmKeys {
        diagnostics.append(Diagnostic(.error, code, summary, detail: detail, keyPath: key))
      }
    }
    if spec.ksm?.enabled == true, profile.kernelLacks("CONFIG_KSM") {
      diagnostics.append(
        Diagnostic(
          .error, .kernelWithoutKSM, "ksm.enabled: true, but the kernel is built without KSM (CONFIG_KSM is not set)",
          keyPath: "ksm.enabled"))
    }
    if spec.iommu == .on, let key = profile.iommuKey {
      let option = key == "amd_iommu" ? "CONFIG_AMD_IOMMU" : "CONFIG_INTEL_IOMMU"
      if profile.kernelLacks(option) {
        diagnostics.append(
          Diagnostic(
            .warning, .kernelWithoutIOMMU, "the kernel is built without \(option): \(key)=on will have no effect",
            detail: "The argument is added anyway; it takes effect with a kernel that has \(option).",
            keyPath: "iommu"))
      }
    }
  }

  private mutating func kernelWants() -> [KernelArgsProvider.Want] {
    var wants: [KernelArgsProvider.Want] = []
    let address = ResourceAddress(.kernelArgs, (spec.kernel?.entries ?? .all).rawValue)
    if spec.passthrough != nil, spec.iommu == .off {
      diagnostics.append(
        Diagnostic(
          .error, .passthroughDevice, "passthrough needs the IOMMU, and iommu: off turns it off",
          detail: "Write iommu: on, or leave iommu out: passthrough turns it on.", address: address, keyPath: "iommu"))
    }
    let iommu = spec.passthrough != nil && spec.iommu == .unmanaged ? HostSpec.IOMMU.on : spec.iommu
    let iommuOrigin = spec.passthrough != nil && spec.iommu == .unmanaged ? "passthrough" : "iommu"
    if iommu != .unmanaged {
      if let key = profile.iommuKey {
        let vendor = profile.vendor == .amd ? "AMD" : "Intel"
        wants.append(
          .init(
            argument: KernelArgument(key: key, value: iommu.rawValue), present: true, origin: iommuOrigin,
            reason: "\(iommuOrigin == "iommu" ? "iommu: \(iommu.rawValue)" : "passthrough") on an \(vendor) CPU"))
      } else {
        diagnostics.append(
          Diagnostic(
            .error, .unknownCPUVendor,
            "\(iommuOrigin == "iommu" ? "iommu: \(iommu.rawValue)" : "passthrough") needs an AMD or Intel CPU, and this CPU's vendor is unknown",
            detail: "Leave iommu unmanaged and add the argument under kernel.args.present instead.", address: address,
            keyPath: iommuOrigin))
      }
    }
    if let passthrough = spec.iommuPassthrough {
      wants.append(
        .init(
          argument: KernelArgument(key: "iommu", value: "pt"), present: passthrough, origin: "iommu_passthrough",
          reason: "iommu_passthrough: \(passthrough)"))
    } else if spec.passthrough != nil {
      wants.append(
        .init(
          argument: KernelArgument(key: "iommu", value: "pt"), present: true, origin: "passthrough",
          reason: "passthrough (the host's own devices untranslated)"))
    }
    if let passthrough = spec.passthrough, passthroughKernel?.vfioPCIBuiltIn == true, !passthrough.selectedIDs.isEmpty {
      // A built-in vfio-pci reads no modprobe.d file: its ids come from the command line.
      wants.append(
        .init(
          argument: KernelArgument(key: "vfio-pci.ids", value: passthrough.selectedIDs.joined(separator: ",")),
          present: true, origin: "passthrough",
          reason:
            "passthrough selects \(passthrough.selectedIDs.joined(separator: ", ")) by IDs, and vfio-pci is built into the next kernel"
        ))
    }
    for argument in spec.kernel?.present ?? [] {
      wants.append(
        .init(argument: argument, present: true, origin: "kernel.args.present", reason: "kernel.args.present"))
    }
    for argument in spec.kernel?.absent ?? [] {
      if let clash = wants.first(where: { $0.present && KernelArgsProvider.matches($0.argument, argument) }) {
        diagnostics.append(
          Diagnostic(
            .error, .conflictingKernelArgument, "kernel.args.absent removes \(argument), which \(clash.origin) adds",
            address: address,
            keyPath: "kernel.args.absent"))
        continue
      }
      wants.append(
        .init(argument: argument, present: false, origin: "kernel.args.absent", reason: "kernel.args.absent"))
    }
    return wants
  }

  private func ksmServices() -> [ServiceProvider.Intent] {
    guard let ksm = spec.ksm, let enabled = ksm.enabled else { return [] }
    let bundled = BundledTunerProvider.service
    guard enabled else {
      return ["ksm", "ksmtuned", bundled].map { name in
        .init(
          name: name, enabled: false, running: false, origin: "ksm.enabled", setting: "ksm.enabled: false",
          reason: "ksm.enabled: false turns KSM and its tuner off", required: false)
      }
    }
    var intents: [ServiceProvider.Intent] = [
      .init(
        name: "ksm", enabled: true, running: true, origin: "ksm.enabled", setting: "ksm.enabled: true",
        reason: "ksm.enabled: true starts KSM at boot", required: ksm.tuner != .bundled)
    ]
    switch ksm.tuner {
    case .system:
      intents.append(
        .init(
          name: "ksmtuned", enabled: true, running: true, origin: "ksm.tuner", setting: "ksm.tuner: system",
          reason: "ksm.tuner: system runs the distribution's ksmtuned", required: true))
      intents.append(off(bundled, "ksm.tuner: system replaces virthost-ksmtuned"))
    case .bundled:
      intents.append(
        .init(
          name: bundled, enabled: true, running: true, origin: "ksm.tuner", setting: "ksm.tuner: bundled",
          reason: "ksm.tuner: bundled runs virthost-ksmtuned", required: true, installedByPlan: true))
      intents.append(off("ksmtuned", "ksm.tuner: bundled replaces the distribution's ksmtuned"))
    case .none:
      intents.append(off("ksmtuned", "ksm.tuner: none runs KSM without a tuner"))
      intents.append(off(bundled, "ksm.tuner: none runs KSM without a tuner"))
    }
    return intents
  }

  private func off(_ name: String, _ reason: String) -> ServiceProvider.Intent {
    .init(
      name: name, enabled: false, running: false, origin: "ksm.tuner",
      setting: "ksm.tuner: \(spec.ksm?.tuner.rawValue ?? "")", reason: reason, required: false)
  }

  private func serviceIntent(_ service: (name: String, state: HostSpec.ServiceState)) -> ServiceProvider.Intent {
    let enabled = service.state == .enabled || service.state == .running
    let running: Bool? =
      switch service.state {
      case .running: true
      case .stopped: false
      case .enabled, .disabled: nil
      }
    return .init(
      name: service.name, enabled: enabled, running: running, origin: "services.\(service.name)",
      setting: "services.\(service.name): \(service.state.rawValue)",
      reason: "services.\(service.name): \(service.state.rawValue)", required: true)
  }

  /// `intents` with one intent per service: `ksm` and `ksm.service` are one unit. Two keys
  /// asking the same of it keep the first; asking opposite states is an error naming both keys
  /// (each apply would undo the other), and neither is planned.
  private mutating func distinct(_ intents: [ServiceProvider.Intent]) -> [ServiceProvider.Intent] {
    var result: [ServiceProvider.Intent] = []
    var refused: Set<String> = []
    for intent in intents {
      let key = UnitName(intent.name).key
      guard let first = result.first(where: { UnitName($0.name).key == key }) else {
        result.append(intent)
        continue
      }
      if first.enabled == intent.enabled && (first.running == intent.running || intent.running == nil) { continue }
      diagnostics.append(
        Diagnostic(
          .error, .conflictingServices,
          "\(intent.setting) and \(first.setting) name one service, \(UnitName(intent.name).unit), "
            + "with different states",
          detail: "Remove one of the two keys, or give both the same state.",
          address: ResourceAddress(.service, intent.name), keyPath: intent.origin))
      refused.insert(key)
    }
    return result.filter { !refused.contains(UnitName($0.name).key) }
  }

  private mutating func liveWants() -> [LiveValueProvider.Want] {
    var wants: [LiveValueProvider.Want] = []
    if let merge = spec.ksm?.mergeAcrossNodes {
      let address = ResourceAddress(.sysfs, LiveValueProvider.mergeAcrossNodes)
      if profile.numaNodes <= 1 {
        diagnostics.append(
          Diagnostic(
            .note, .mergeAcrossNodesSkipped, "ksm.merge_across_nodes skipped: this host has one NUMA node",
            address: address,
            keyPath: "ksm.merge_across_nodes"))
      } else {
        wants.append(
          .init(
            address: address, path: LiveValueProvider.mergeAcrossNodes, value: merge ? "1" : "0",
            origin: "ksm.merge_across_nodes",
            reason: "ksm.merge_across_nodes: \(merge) on a host with \(profile.numaNodes) NUMA nodes"))
      }
    }
    if let ksm = spec.ksm, let enabled = ksm.enabled, !enabled || ksm.tuner == .none {
      wants.append(
        .init(
          address: ResourceAddress(.sysfs, LiveValueProvider.ksmRun), path: LiveValueProvider.ksmRun,
          value: enabled ? "1" : "0", origin: "ksm.enabled",
          reason: enabled ? "ksm.enabled: true with no tuner runs KSM now" : "ksm.enabled: false stops KSM now"))
    }
    for setting in spec.sysctl {
      wants.append(
        .init(
          address: ResourceAddress(.sysctl, setting.name), path: SysctlKey(setting.name).procPath,
          value: setting.value, origin: "sysctl.\(setting.name)",
          reason: "sysctl.\(setting.name) sets the running kernel's value"))
    }
    return wants
  }
}
