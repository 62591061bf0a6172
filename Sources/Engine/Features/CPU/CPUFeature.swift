import HostConfig
import Yams

/// `cpu: {isolated}`: the isolation kernel arguments (``CPUIsolationPlan``), systemd's
/// `CPUAffinity=` drop-in and irqbalance's banned list; their effects on the running host
/// are judged in ``CPUIsolationEffects``.
enum CPUFeature: Feature {
  static let keys = ["cpu"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.cpu = reader.cpu(value)
  }

  static let placesItsProblems = true

  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { spec.cpu == nil ? [] : [.tuning] }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let plan = expansion.cpuIsolationPlan() else { return [] }
    wants.kernelArguments += plan.kernelWants
    return files(plan)
  }

  /// systemd's `CPUAffinity=` drop-in (where systemd is installed) and irqbalance's banned
  /// list (only where irqbalance is installed).
  private static func files(_ plan: CPUIsolationPlan) -> [any ResourceProvider] {
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
}
