import HostConfig
import Yams

/// `ksm: {enabled, tuner, merge_across_nodes, settings}`: ksmtuned.conf, the bundled tuner's
/// files, the KSM services and KSM's live values.
enum KSMFeature: Feature {
  static let keys = ["ksm"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.ksm = reader.ksm(value)
  }

  /// The services `ksm.enabled` manages (`ksm` and `ksm.service` name one unit, issue 17
  /// case 4) may not be named under `services:` as well.
  static func check(_ spec: HostSpec, _ reader: inout SpecParser.Reader) {
    guard spec.ksm?.enabled != nil else { return }
    let owned = ["ksm", "ksmtuned", BundledTunerProvider.service]
    for (name, _) in spec.services where owned.contains(UnitName(name).key) {
      reader.error(
        at: spec.location(of: "services.\(name)"), "services.\(name)", "is already managed by ksm.enabled",
        detail: "Remove services.\(name), or leave ksm.enabled out to manage the service yourself.")
    }
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let ksm = expansion.spec.ksm else { return [] }
    var providers: [any ResourceProvider] = []
    if !ksm.settings.isEmpty { providers.append(KsmtunedConfProvider(settings: ksm.settings)) }
    if ksm.enabled == true, ksm.tuner == .bundled { providers.append(BundledTunerProvider()) }
    if ksm.enabled == true {
      providers.append(TunedKSMConflict())
      wants.kvmKeys.append("ksm.enabled")
      if expansion.profile.kernelLacks("CONFIG_KSM") {
        expansion.diagnostics.append(
          Diagnostic(
            .error, .kernelWithoutKSM, "ksm.enabled: true, but the kernel is built without KSM (CONFIG_KSM is not set)",
            keyPath: "ksm.enabled"))
      }
    }
    wants.services += services(ksm)
    wants.live += live(ksm, &expansion)
    return providers
  }

  private static func services(_ ksm: HostSpec.KSM) -> [ServiceProvider.Intent] {
    guard let enabled = ksm.enabled else { return [] }
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
    let off = { (name: String, reason: String) in
      ServiceProvider.Intent(
        name: name, enabled: false, running: false, origin: "ksm.tuner", setting: "ksm.tuner: \(ksm.tuner.rawValue)",
        reason: reason, required: false)
    }
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

  private static func live(_ ksm: HostSpec.KSM, _ expansion: inout Expansion) -> [LiveValueProvider.Want] {
    var wants: [LiveValueProvider.Want] = []
    let profile = expansion.profile
    if let merge = ksm.mergeAcrossNodes {
      let address = ResourceAddress(.sysfs, LiveValueProvider.mergeAcrossNodes)
      if profile.numaNodes <= 1 {
        expansion.diagnostics.append(
          Diagnostic(
            .note, .mergeAcrossNodesSkipped, "ksm.merge_across_nodes skipped: this host has one NUMA node",
            address: address, keyPath: "ksm.merge_across_nodes"))
      } else {
        wants.append(
          .init(
            address: address, path: LiveValueProvider.mergeAcrossNodes, value: merge ? "1" : "0",
            origin: "ksm.merge_across_nodes",
            reason: "ksm.merge_across_nodes: \(merge) on a host with \(profile.numaNodes) NUMA nodes"))
      }
    }
    if let enabled = ksm.enabled, !enabled || ksm.tuner == .none {
      wants.append(
        .init(
          address: ResourceAddress(.sysfs, LiveValueProvider.ksmRun), path: LiveValueProvider.ksmRun,
          value: enabled ? "1" : "0", origin: "ksm.enabled",
          reason: enabled ? "ksm.enabled: true with no tuner runs KSM now" : "ksm.enabled: false stops KSM now"))
    }
    return wants
  }
}
