import Editors
import HostConfig

/// How the keys of a desired state expand into providers of concrete resources on one
/// host: the host's preconditions, then each feature of ``FeatureRegistry`` (one folder
/// under `Features/` each) and the shared sinks (``Wants``).
///
/// Every resource that comes out names its origin key, so the expansion shows in the plan.
struct Expansion {
  let spec: HostSpec
  let profile: HostProfile
  /// The NUMA, page size and CPU facts `hugepages:` and `cpu:` are checked against; `nil`
  /// when no feature asked for them (``FeatureFact/tuning``).
  let tuning: TuningFacts?
  /// The next boot's kernel, when a feature asked for it (``FeatureFact/nextKernel``).
  let nextKernel: PassthroughKernel?
  /// libvirt's installed daemon units, when a feature asked for them (``FeatureFact/libvirtDaemons``).
  let libvirtDaemons: LibvirtDaemons?
  var diagnostics: [Diagnostic] = []

  init(
    spec: HostSpec, profile: HostProfile, tuning: TuningFacts? = nil, nextKernel: PassthroughKernel? = nil,
    libvirtDaemons: LibvirtDaemons? = nil
  ) {
    self.spec = spec
    self.profile = profile
    self.tuning = tuning
    self.nextKernel = nextKernel
    self.libvirtDaemons = libvirtDaemons
  }

  /// The facts the features of `spec` ask for.
  static func facts(_ spec: HostSpec) -> Set<FeatureFact> {
    FeatureRegistry.features.reduce(into: []) { $0.formUnion($1.facts(spec)) }
  }

  /// The providers in apply order: the kernel command line, files, then services, then live
  /// values (``FeatureRegistry/entries``): each feature expands, handing its wants to the
  /// sinks, then each entry gives its providers in the registry's order.
  mutating func providers() -> [any ResourceProvider] {
    var wants = Wants()
    var own: [Int: [any ResourceProvider]] = [:]
    for (index, entry) in FeatureRegistry.entries.enumerated() {
      guard case .feature(let feature) = entry else { continue }
      let first = diagnostics.count
      own[index] = feature.expand(&self, into: &wants)
      if feature.placesItsProblems {
        for index in diagnostics.indices.dropFirst(first) where diagnostics[index].location == nil {
          diagnostics[index].location = diagnostics[index].keyPath.flatMap(spec.location(of:))
        }
      }
    }
    diagnostics.insert(contentsOf: preconditions(kvmKeys: wants.kvmKeys), at: 0)
    var result: [any ResourceProvider] = []
    for (index, entry) in FeatureRegistry.entries.enumerated() {
      switch entry {
      case .feature: result += own[index] ?? []
      case .sink(let sink): if let provider = wants.provider(sink, profile, &diagnostics) { result.append(provider) }
      }
    }
    return result
  }

  /// The preconditions, on the one KVM verdict facts show (``HostProfile/kvm``): KVM provided
  /// without the CPU flags (nested, paravirtualized) or not known is a warning for every
  /// spec; no KVM at all is an error for each key that exists for KVM guests, and a warning
  /// for a spec without them (ksmtuned.conf, sysctl and services still plan).
  private func preconditions(kvmKeys: [String]) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
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
    return diagnostics
  }
}
