import HostConfig
import Yams

/// `hugepages:`: pools reserved at boot or at runtime (``HugePagesPlan``), with virthost's
/// boot unit for runtime pools; its kernel arguments, sysctl key, unit and live writes go
/// through the sinks.
enum HugePagesFeature: Feature {
  static let keys = ["hugepages"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.hugepages = reader.hugepages(value)
  }

  static let placesItsProblems = true

  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { spec.hugepages == nil ? [] : [.tuning] }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let huge = expansion.hugePagesPlan() else { return [] }
    wants.kernelArguments += huge.kernelWants
    wants.sysctl += huge.sysctl
    wants.sysctlRemovals += huge.sysctlRemovals
    wants.services.append(unitIntent(huge))
    wants.live += huge.liveWants
    wants.services += mountIntents(huge)
    wants.restartTriggers += huge.mountSizes.map {
      .init(path: HugetlbfsMount(sizeKiB: $0).unitPath, origin: "hugepages.mounts")
    }
    return [
      HugePagesUnitProvider(writes: huge.unitWrites),
      HugetlbfsMountProvider(sizes: huge.mountSizes, removed: huge.unmountedSizes),
    ]
  }

  /// The mount units: enabled and mounted for each size that gets one. A unit of virthost's no
  /// longer wanted is disabled by ``HugetlbfsMountProvider``, which alone can tell it from
  /// an administrator's unit of the same name.
  private static func mountIntents(_ huge: HugePagesPlan) -> [ServiceProvider.Intent] {
    huge.mountSizes.map { size in
      let mount = HugetlbfsMount(sizeKiB: size)
      return ServiceProvider.Intent(
        name: mount.unit, enabled: true, running: true, origin: "hugepages.mounts",
        setting: "hugepages.mounts: auto",
        reason: "hugepages: \(mount.path) holds the \(mount.sizeText) pages QEMU guests are backed by", required: true,
        installedByPlan: true)
    }
  }

  /// virthost's boot unit for runtime huge pages: enabled while it has writes, else disabled.
  private static func unitIntent(_ huge: HugePagesPlan) -> ServiceProvider.Intent {
    let name = HugePagesUnit.service
    if huge.unitWrites.isEmpty {
      return .init(
        name: name, enabled: false, running: nil, origin: "hugepages", setting: "hugepages",
        reason: "hugepages no longer reserves pages at boot through the unit", required: false)
    }
    return .init(
      name: name, enabled: true, running: nil, origin: "hugepages", setting: "hugepages.mode: runtime",
      reason: "hugepages.mode: runtime repeats the per-node writes at each boot", required: true,
      installedByPlan: true)
  }
}
