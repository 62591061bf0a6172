import HostConfig
import HostFacts

/// What `cpu.isolated` expands into on one host, after its checks: the isolation kernel
/// arguments, systemd's `CPUAffinity=` drop-in and irqbalance's banned list (each its own
/// resource, `from: cpu.isolated`). Made by ``Expansion``.
struct CPUIsolationPlan {
  /// The kernel arguments, or their removal (`isolated: none`).
  var kernelWants: [KernelArgsProvider.Want] = []
  /// The housekeeping CPUs for `CPUAffinity=`; `nil` removes virthost's drop-in.
  var housekeeping: CPUList?
  /// The isolated CPUs for irqbalance; `nil` removes the variable.
  var banned: CPUList?
  /// irqbalance's file, when irqbalance is installed.
  var irqbalanceFile: String?
  /// Whether systemd's drop-in is managed (systemd is installed).
  var systemd: Bool

  /// The origin of every resource.
  static let origin = "cpu.isolated"

  /// The flags `isolcpus=` takes on the next boot's kernel `release`, as a prefix of the
  /// list, and the ones it lacks: `managed_irq,domain,` from Linux 5.6 (and RHEL 8's
  /// 4.18.0-193 and later, where it is backported); `domain,` from 4.15; none before, when
  /// the kernel reads the whole argument as a list and ignores an argument it cannot parse.
  /// An unknown kernel gets every flag.
  static func isolcpusFlags(nextKernel release: String?) -> (prefix: String, missing: String?) {
    guard let release else { return ("managed_irq,domain,", nil) }
    let numbers = TuningFacts.versionNumbers(release)
    let version = Array(numbers.prefix(2))
    let rhel8Backport =
      release.contains(".el8") && version == [4, 18] && numbers.count > 3 && numbers[3] >= 193
    if !version.lexicographicallyPrecedes([5, 6]) || rhel8Backport { return ("managed_irq,domain,", nil) }
    if !version.lexicographicallyPrecedes([4, 15]) { return ("domain,", "managed_irq") }
    return ("", "managed_irq,domain")
  }
}

extension Expansion {
  /// Checks `cpu.isolated` against the online CPUs and expands it; an error leaves it out.
  mutating func cpuIsolationPlan() -> CPUIsolationPlan? {
    guard let cpu = spec.cpu, let tuning else { return nil }
    let origin = CPUIsolationPlan.origin
    var plan = CPUIsolationPlan(irqbalanceFile: tuning.irqbalanceFile, systemd: tuning.systemd)
    guard let isolated = cpu.isolated else {
      plan.kernelWants = CPUIsolationFacts.argumentKeys.map { key in
        KernelArgsProvider.Want(
          argument: KernelArgument(key: key, value: nil), present: false, origin: origin, reason: "cpu.isolated: none")
      }
      return plan
    }
    guard let online = tuning.online else {
      diagnostics.append(
        Diagnostic(
          .error, .cpuIsolationRefused, "cannot tell which CPUs are online (/sys/devices/system/cpu/online)",
          detail: "The list is not checked, so nothing is planned for it.", keyPath: origin))
      return nil
    }
    let offline = isolated.subtracting(online)
    if !offline.isEmpty {
      let many = offline.count > 1
      diagnostics.append(
        Diagnostic(
          .error, .cpuIsolationRefused,
          "CPU\(many ? "s" : "") \(offline) \(many ? "are" : "is") not online: this host's online CPUs are \(online)",
          keyPath: origin))
      return nil
    }
    let housekeeping = online.subtracting(isolated)
    if housekeeping.isEmpty {
      diagnostics.append(
        Diagnostic(
          .error, .cpuIsolationRefused,
          "isolates every online CPU (\(online)): the host needs at least one CPU for its own work",
          keyPath: origin))
      return nil
    }
    for group in tuning.siblings {
      let inside = group.cpus.filter(isolated.contains)
      let outside = group.cpus.filter { !isolated.contains($0) }
      guard !inside.isEmpty, !outside.isEmpty else { continue }
      diagnostics.append(
        Diagnostic(
          .warning, .smtSiblingNotIsolated,
          "CPU \(CPUList(inside)) is isolated but its SMT sibling \(CPUList(outside)) is not: the core is shared "
            + "with the host's work",
          detail: "Isolate whole cores (\(group)) or none of a core.", keyPath: origin))
    }
    guard checkAffinityOwners(housekeeping: housekeeping, tuning) else { return nil }
    let list = isolated.description
    let flags = CPUIsolationPlan.isolcpusFlags(nextKernel: tuning.nextKernel)
    if let missing = flags.missing, let kernel = tuning.nextKernel {
      diagnostics.append(
        Diagnostic(
          .warning, .isolcpusFlagUnsupported,
          "the next boot starts \(kernel), which predates isolcpus=\(missing): virthost writes "
            + "isolcpus=\(flags.prefix)\(list)",
          detail: missing.hasPrefix("managed_irq")
            ? "Managed interrupts (a NVMe's queues, say) may still reach the isolated CPUs; Linux 5.6 or later "
              + "(RHEL 8.2's 4.18.0-193 or later) keeps them off."
            : "The CPUs are kept out of the scheduler's balancing only; Linux 4.15 or later takes the flags.",
          keyPath: origin))
    }
    var arguments = [
      KernelArgument(key: "isolcpus", value: flags.prefix + list),
      KernelArgument(key: "nohz_full", value: list),
      KernelArgument(key: "rcu_nocbs", value: list),
      KernelArgument(key: "irqaffinity", value: housekeeping.description),
    ]
    checkIsolationEffects(isolated: isolated, housekeeping: housekeeping, arguments: arguments, tuning)
    if let tuned = tuning.tuned {
      arguments = arguments.filter { argument in
        guard let owned = tuned.argument(forKey: argument.key) else { return true }
        let same = owned == argument
        diagnostics.append(
          Diagnostic(
            same ? .note : .warning, .tunedOwnsArgument,
            same
              ? "\(argument) is set by \(tuned.owner): virthost adds nothing"
              : "\(tuned.owner) sets \(owned), and cpu.isolated asks for \(argument): virthost leaves tuned's argument",
            detail: same ? nil : "Change the tuned profile's isolated cores, or cpu.isolated, so both agree.",
            address: ResourceAddress(.kernelArgs, (spec.kernel?.entries ?? .all).rawValue), keyPath: origin))
        return false
      }
    }
    plan.kernelWants = arguments.map { argument in
      KernelArgsProvider.Want(
        argument: argument, present: true, origin: origin,
        reason: "cpu.isolated: \(list) (housekeeping \(housekeeping))")
    }
    plan.housekeeping = housekeeping
    plan.banned = isolated
    checkPinnedMemory(tuning)
    return plan
  }

  /// NUMA balancing and KSM merging across nodes both move pinned guests' memory.
  private mutating func checkPinnedMemory(_ tuning: TuningFacts) {
    let balancingSpec = spec.sysctl.last { $0.name == "kernel.numa_balancing" }?.value
    if balancingSpec.map({ $0 != "0" }) ?? (tuning.numaBalancing == 1) {
      diagnostics.append(
        Diagnostic(
          .warning, .pinnedMemoryMoves,
          "kernel.numa_balancing is on: it moves the memory of guests pinned to isolated CPUs between nodes",
          detail: "Add sysctl: {kernel.numa_balancing: 0}.", keyPath: CPUIsolationPlan.origin))
    }
    let merging = spec.ksm?.mergeAcrossNodes ?? (tuning.mergeAcrossNodes == 1)
    if spec.ksm?.enabled != false, merging, tuning.nodes.count > 1 {
      diagnostics.append(
        Diagnostic(
          .warning, .pinnedMemoryMoves,
          "KSM merges pages across NUMA nodes: pinned guests' memory may end on another node",
          detail: "Set ksm.merge_across_nodes: false, or ksm.enabled: false.", keyPath: CPUIsolationPlan.origin))
    }
  }
}
