import HostConfig
import HostFacts

/// The other owners of systemd's `CPUAffinity=`, and what the running host shows once it
/// booted with `cpu.isolated`'s arguments: the kernel's isolated and `nohz_full` CPUs,
/// PID 1's CPUs and where the interrupts are delivered.
extension Expansion {
  /// Refuses `cpu.isolated` when another file of systemd's manager configuration
  /// (`/etc/systemd/system.conf`, tuned's `00-tuned.conf` drop-in) asks for a mask other
  /// than the housekeeping CPUs: systemd merges every `CPUAffinity=` into one mask, so
  /// virthost's drop-in would not decide alone, and one of the two owners must change.
  mutating func checkAffinityOwners(housekeeping: CPUList, _ tuning: TuningFacts) -> Bool {
    guard tuning.systemd else { return true }
    let origin = CPUIsolationPlan.origin
    let assignments: [CPUAffinityAssignment]
    switch tuning.affinity {
    case .success(let found): assignments = found
    case .failure(let error):
      diagnostics.append(
        Diagnostic(
          .error, .hostFile, error.description,
          detail: "systemd's CPUAffinity= cannot be told, so cpu.isolated is not planned.", keyPath: origin))
      return false
    }
    let others = assignments.filter { $0.file != IsolationFiles.affinityDropIn }
    guard let merged = CPUAffinityAssignment.merged(others),
      CPUAffinityAssignment(file: "", value: merged.value).cpus != housekeeping
    else { return true }
    let files = merged.files.joined(separator: " and ")
    diagnostics.append(
      Diagnostic(
        .error, .cpuAffinityConflict,
        "\(files) set\(merged.files.count == 1 ? "s" : "") CPUAffinity=\(merged.value), and cpu.isolated keeps "
          + "systemd on \(housekeeping) (\(IsolationFiles.affinityDropIn)): systemd merges both masks",
        detail: "Remove the CPUAffinity= of \(files) (tuned's cpu-partitioning profile writes one), or make "
          + "cpu.isolated and it name the same housekeeping CPUs.",
        keyPath: origin))
    return false
  }

  /// After the boot that used `arguments`, what the kernel and PID 1 do: the kernel's
  /// isolated and `nohz_full` lists must be `isolated`, PID 1 (systemd) must run on
  /// `housekeeping`, and no interrupt whose own affinity names a housekeeping CPU may be
  /// delivered to an isolated one. A managed interrupt (debugfs says so) is counted apart in
  /// a note, as is, where debugfs does not tell, one whose own affinity names only isolated
  /// CPUs (a managed queue the kernel spread there, or one pinned by hand); a movable one on
  /// an isolated CPU is drift. A root without the live files judges nothing.
  mutating func checkIsolationEffects(
    isolated: CPUList, housekeeping: CPUList, arguments: [KernelArgument], _ tuning: TuningFacts
  ) {
    let running = (profile.runningCommandLine ?? "").split(separator: " ").map { KernelArgument(word: String($0)) }
    guard !arguments.isEmpty, arguments.allSatisfy(running.contains) else { return }
    let now = tuning.isolationNow
    let cpus = CPUIsolationFacts.cpusFolder
    if let kernel = now.isolated, kernel != isolated {
      differs("the kernel isolated \(named(kernel)), not the CPUs \(isolated) isolcpus= asks for (\(cpus)/isolated)")
    }
    if let kernel = now.nohzFull, kernel != isolated {
      differs(
        "the kernel runs \(named(kernel)) without the tick, not the CPUs \(isolated) nohz_full= asks for "
          + "(\(cpus)/nohz_full)")
    }
    if tuning.systemd, let initCPUs = now.initAffinity, initCPUs != housekeeping {
      let summary =
        "systemd (PID 1) runs on CPUs \(initCPUs), not the housekeeping CPUs \(housekeeping) CPUAffinity= asks for "
        + "(/proc/1/status Cpus_allowed_list)"
      if now.affinityChangedSinceBoot {
        // The drop-in is newer than the boot: systemd has not read it yet.
        diagnostics.append(
          Diagnostic(
            .note, .rebootRequired, summary + "; CPUAffinity= changed after this boot",
            detail: "systemd reads CPUAffinity= when it starts: a reboot (or systemctl daemon-reexec) applies it.",
            keyPath: CPUIsolationPlan.origin))
      } else {
        differs(
          summary,
          detail: "systemd reads CPUAffinity= when it starts: a reboot (or systemctl daemon-reexec) applies it.")
      }
    }
    guard let irqs = now.irqs else { return }
    let reaching = irqs.filter { irq in irq.effective.cpus.contains(where: isolated.contains) }
    let misplaced = reaching.filter { irq in
      irq.managed.map { !$0 } ?? irq.requested.cpus.contains(where: housekeeping.contains)
    }
    let confined = reaching.filter { irq in !misplaced.contains(irq) }
    if !misplaced.isEmpty {
      differs(
        "\(counted(misplaced.count, "movable interrupt")) reach\(misplaced.count == 1 ? "es" : "") isolated CPUs: "
          + Self.irqList(misplaced) + " (\(IRQPlacement.folder)/N/effective_affinity_list)",
        detail: "irqbalance or a script moved them, or the kernel lacks isolcpus=managed_irq; virthost bans the "
          + "isolated CPUs in irqbalance's file and sets irqaffinity= for the others.")
    }
    if !confined.isEmpty {
      diagnostics.append(
        Diagnostic(
          .note, .interruptsConfined,
          "\(counted(confined.count, "interrupt")) reach\(confined.count == 1 ? "es" : "") isolated CPUs because "
            + "\(confined.count == 1 ? "its" : "their") own affinity names only isolated CPUs (managed queues or "
            + "pinned by hand), counted apart: " + Self.irqList(confined),
          detail: confined.contains { $0.managed == nil }
            ? "Without debugfs's irq/irqs (CONFIG_GENERIC_IRQ_DEBUGFS) a managed queue cannot be told from an "
              + "interrupt pinned by hand." : nil,
          keyPath: CPUIsolationPlan.origin))
    }
  }

  private mutating func differs(_ summary: String, detail: String? = nil) {
    diagnostics.append(Diagnostic(.warning, .effectDiffers, summary, detail: detail, keyPath: CPUIsolationPlan.origin))
  }

  private func named(_ list: CPUList) -> String { list.isEmpty ? "no CPU" : "CPUs \(list)" }

  /// `IRQ 24 on 1, IRQ 25 on 1-3`, the first eight and how many more.
  private static func irqList(_ irqs: [IRQPlacement]) -> String {
    let shown = irqs.prefix(8).map { "IRQ \($0.irq) on \($0.effective)" }.joined(separator: ", ")
    return irqs.count > 8 ? shown + " and \(irqs.count - 8) more" : shown
  }
}
