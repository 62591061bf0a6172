import Yams

/// One top-level key of host.yaml (or the few keys that belong together, as `iommu` and
/// `iommu_passthrough`) as a unit: its parser, the facts it needs, and its expansion,
/// with the effects it must have on the running host declared as diagnostics there.
///
/// A feature reads only its own keys. What several keys share (the kernel command line,
/// the sysctl file, services, live values) it hands to the ``Wants`` sinks, which stay
/// single and hold the rules across keys; files of its own it plans with providers of
/// its own. Adding a key is a folder under `Features/` and one line in
/// ``FeatureRegistry/entries`` (docs/architecture.md, "Add a feature").
protocol Feature: Sendable {
  /// The top-level keys it owns, in the order `virthost init` and the docs list them.
  static var keys: [String] { get }

  /// Parses the value of `key` (one of ``keys``) into `spec`, problems into `reader`.
  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader)

  /// Checks the whole desired state once every key is read, for a rule across its keys and
  /// another's (problems into `reader`, placed with `spec.location(of:)`).
  static func check(_ spec: HostSpec, _ reader: inout SpecParser.Reader)

  /// The facts the planner reads for the feature beyond the host's profile.
  static func facts(_ spec: HostSpec) -> Set<FeatureFact>

  /// Whether the problems its expansion reports are placed at their key in the file (its
  /// refusals are about what the file asks), rather than said of the host.
  static var placesItsProblems: Bool { get }

  /// Expands the feature's keys of `expansion.spec`: its wants into `wants`, its checks and
  /// effects into `expansion.diagnostics`, its own files' providers returned.
  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider]
}

extension Feature {
  static func check(_ spec: HostSpec, _ reader: inout SpecParser.Reader) {}
  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { [] }
  static var placesItsProblems: Bool { false }
}

/// Facts a feature asks the planner to read (once, into the facts digest).
enum FeatureFact: Hashable, Sendable {
  /// NUMA, huge page sizes, CPUs, irqbalance and systemd (``TuningFacts``).
  case tuning
  /// The next boot's kernel: its build options and built-in modules (``PassthroughKernel``).
  case nextKernel
  /// Which of libvirt's daemon units are installed, and the family (``LibvirtDaemons``).
  case libvirtDaemons
}

/// The features in expansion order, with the sinks between them: a sink's provider comes
/// where its entry stands, once every feature has handed it its wants.
enum FeatureRegistry {
  enum Entry: Sendable {
    case feature(any Feature.Type)
    case sink(Wants.Sink)
  }

  /// The order of the plan's resources: the kernel command line first, files, then services
  /// and live values last (apply takes them phase by phase in this order).
  static let entries: [Entry] = [
    .sink(.kernelArguments),
    .feature(IOMMUFeature.self),
    .feature(KernelFeature.self),
    .feature(BootFeature.self),
    .feature(KSMFeature.self),
    .feature(ServicesFeature.self),
    .feature(SysctlFeature.self),
    .sink(.sysctlFile),
    .feature(HugePagesFeature.self),
    .feature(CPUFeature.self),
    .feature(PassthroughFeature.self),
    .feature(KVMFeature.self),
    .feature(ModulesFeature.self),
    .feature(MemoryFeature.self),
    .feature(LibvirtFeature.self),
    .feature(GuestsFeature.self),
    .sink(.services),
    .sink(.restarts),
    .sink(.liveValues),
  ]

  /// The features, in order.
  static let features: [any Feature.Type] = entries.compactMap {
    if case .feature(let feature) = $0 { feature } else { nil }
  }

  /// Every top-level key, in order.
  static let keys: [String] = features.flatMap { $0.keys }

  /// The feature that owns `key`.
  static func feature(owning key: String) -> (any Feature.Type)? {
    features.first { $0.keys.contains(key) }
  }
}
