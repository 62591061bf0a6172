import Editors
import HostConfig

/// What the features ask of the parts of a host they share, collected in registry order
/// (``FeatureRegistry``) and planned by one provider each: the kernel command line, the
/// sysctl file, services and live values. The rules across keys live here, once: an
/// `iommu` several keys need, `kernel.args.absent` against what others add, a sysctl
/// removal yielding to `sysctl:`, two keys asking opposite states of one service.
struct Wants {
  /// The shared sinks, each planned by one provider.
  enum Sink: Sendable {
    case kernelArguments, sysctlFile, services, restarts, liveValues
  }

  /// A key that needs the IOMMU on (and, unless `iommu_passthrough` says otherwise, the
  /// host's own devices untranslated): `passthrough:`.
  struct IOMMURequest {
    /// The key that asks.
    var origin: String
    /// Why it wants `iommu=pt`, in words.
    var passthroughReason: String
  }

  /// The boot entries the kernel arguments go to (`kernel.entries`).
  var kernelEntries: EntrySelection = .all
  /// `iommu:` as written.
  var iommu: HostSpec.IOMMU = .unmanaged
  /// `iommu_passthrough:` as written.
  var iommuPassthrough: Bool?
  /// Keys that need the IOMMU.
  var iommuRequests: [IOMMURequest] = []
  /// Arguments that belong with the IOMMU's (a built-in vfio-pci's ids), right after them.
  var iommuArguments: [KernelArgsProvider.Want] = []
  /// Every other argument, in registry order. An absent one whose origin is in
  /// ``refusingOrigins`` is refused when an earlier want adds it.
  var kernelArguments: [KernelArgsProvider.Want] = []
  /// Origins whose removals must not contradict what another key adds (`kernel.args.absent`).
  var refusingOrigins: Set<String> = []
  /// sysctl keys kept in virthost's file, in order.
  var sysctl: [HostSpec.Setting] = []
  /// sysctl keys taken out of the files, unless ``sysctl`` names them.
  var sysctlRemovals: [SysctlFileProvider.Removal] = []
  /// What each key asks of services, in order.
  var services: [ServiceProvider.Intent] = []
  /// Live values, in order.
  var live: [LiveValueProvider.Want] = []
  /// libvirt's QEMU driver daemon (`libvirtd.service`, `virtqemud.service`), when `libvirt:`
  /// tells which: the daemon restarted after a change of ``restartTriggers``.
  var qemuDaemon: String?
  /// Files the QEMU driver's daemon reads only when it starts (qemu.conf, a hugetlbfs mount unit).
  var restartTriggers: [DaemonRestartProvider.Trigger] = []
  /// The keys that exist for KVM guests and cannot help a host without KVM.
  var kvmKeys: [String] = []

  /// The provider of `sink`, when anything is asked of it; problems across keys into `diagnostics`.
  func provider(_ sink: Sink, _ profile: HostProfile, _ diagnostics: inout [Diagnostic]) -> (any ResourceProvider)? {
    switch sink {
    case .kernelArguments:
      let wants = kernelWants(profile, &diagnostics)
      return wants.isEmpty ? nil : KernelArgsProvider(entries: kernelEntries, wants: wants)
    case .sysctlFile:
      // A key the desired state names itself is not taken out.
      let removals = sysctlRemovals.filter { removal in
        !sysctl.contains { SysctlKey($0.name) == SysctlKey(removal.key) }
      }
      return sysctl.isEmpty && removals.isEmpty ? nil : SysctlFileProvider(settings: sysctl, removals: removals)
    case .services:
      let intents = distinct(services, &diagnostics)
      return intents.isEmpty ? nil : ServiceProvider(intents: intents)
    case .restarts:
      guard let qemuDaemon, !restartTriggers.isEmpty else { return nil }
      return DaemonRestartProvider(daemon: qemuDaemon, triggers: restartTriggers)
    case .liveValues:
      return live.isEmpty ? nil : LiveValueProvider(wants: live)
    }
  }

  /// The kernel arguments: the IOMMU's (as written, or turned on for the keys that need
  /// it), then the others in order, a refused removal left out.
  private func kernelWants(_ profile: HostProfile, _ diagnostics: inout [Diagnostic]) -> [KernelArgsProvider.Want] {
    var wants: [KernelArgsProvider.Want] = []
    let address = ResourceAddress(.kernelArgs, kernelEntries.rawValue)
    let request = iommuRequests.first
    if let request, iommu == .off {
      diagnostics.append(
        Diagnostic(
          .error, .passthroughDevice, "\(request.origin) needs the IOMMU, and iommu: off turns it off",
          detail: "Write iommu: on, or leave iommu out: \(request.origin) turns it on.", address: address,
          keyPath: "iommu"))
    }
    // A key that needs the IOMMU turns it on when `iommu:` leaves it unmanaged, and is named as its origin.
    let needing = self.iommu == .unmanaged ? request : nil
    let iommu = needing == nil ? self.iommu : HostSpec.IOMMU.on
    let origin = needing?.origin ?? "iommu"
    if iommu != .unmanaged {
      let setting = origin == "iommu" ? "iommu: \(iommu.rawValue)" : origin
      if let key = profile.iommuKey {
        let vendor = profile.vendor == .amd ? "AMD" : "Intel"
        wants.append(
          .init(
            argument: KernelArgument(key: key, value: iommu.rawValue), present: true, origin: origin,
            reason: "\(setting) on an \(vendor) CPU"))
      } else {
        diagnostics.append(
          Diagnostic(
            .error, .unknownCPUVendor, "\(setting) needs an AMD or Intel CPU, and this CPU's vendor is unknown",
            detail: "Leave iommu unmanaged and add the argument under kernel.args.present instead.", address: address,
            keyPath: origin))
      }
    }
    if let passthrough = iommuPassthrough {
      wants.append(
        .init(
          argument: KernelArgument(key: "iommu", value: "pt"), present: passthrough, origin: "iommu_passthrough",
          reason: "iommu_passthrough: \(passthrough)"))
    } else if let request {
      wants.append(
        .init(
          argument: KernelArgument(key: "iommu", value: "pt"), present: true, origin: request.origin,
          reason: request.passthroughReason))
    }
    wants += iommuArguments
    for want in kernelArguments {
      if !want.present, refusingOrigins.contains(want.origin),
        let clash = wants.first(where: { $0.present && KernelArgsProvider.matches($0.argument, want.argument) })
      {
        diagnostics.append(
          Diagnostic(
            .error, .conflictingKernelArgument, "\(want.origin) removes \(want.argument), which \(clash.origin) adds",
            address: address, keyPath: want.origin))
        continue
      }
      wants.append(want)
    }
    return wants
  }

  /// `intents` with one intent per service: `ksm` and `ksm.service` are one unit. Two keys
  /// asking the same of it keep the first; asking opposite states is an error naming both keys
  /// (each apply would undo the other), and neither is planned.
  private func distinct(_ intents: [ServiceProvider.Intent], _ diagnostics: inout [Diagnostic])
    -> [ServiceProvider.Intent]
  {
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
}
