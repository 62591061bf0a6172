import Engine
import HostFacts

/// What `virthost check` reports: for every resource the desired state expands into, what is
/// desired, what the files configure and what the running host does, with a verdict; and the
/// readiness checks of `virthost facts`.
///
/// It is read off a ``Plan``, made by the same planner as `virthost plan` (the check is the
/// plan, not a second implementation): a resource the plan would change is drifted, one whose
/// only step is the boot loader's regeneration is pending regeneration, one whose files are
/// right while the running kernel lacks them (the plan's `reboot-required` note) is pending
/// reboot, one the plan could not read is unknown.
struct DriftReport: Encodable {
  /// The version of the JSON document's schema; raised when a key is renamed or removed.
  static let currentSchemaVersion = 1

  /// How one item stands.
  enum Verdict: String, Encodable, CaseIterable {
    /// Desired, configured and active agree.
    case inSync = "in_sync"
    /// The files (or links, or live values) differ from the desired state: apply fixes it.
    case drifted
    /// The files are right, the generated boot configuration is not yet: apply regenerates it.
    case pendingRegeneration = "pending_regeneration"
    /// Configured for the next boot; the running kernel does not have it yet.
    case pendingReboot = "pending_reboot"
    /// Configured; the running service has not read it yet.
    case pendingRestart = "pending_restart"
    /// The plan could not tell (the reason says why).
    case unknown

    /// The verdict in words, for text and the monitoring line.
    var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }

    /// Whether the verdict waits for something apply does not do (a reboot, a restart) or a regeneration.
    var isPending: Bool { self == .pendingRegeneration || self == .pendingReboot || self == .pendingRestart }
  }

  /// The status a monitoring system reads, with the monitoring-plugin exit codes.
  enum Status: Int32, Encodable {
    /// All in sync.
    case ok = 0
    /// Something pending (regeneration, reboot, restart).
    case warning = 1
    /// Something drifted, or a readiness check failed.
    case critical = 2
    /// The spec, the host or an item cannot be read.
    case unknown = 3

    /// `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    var word: String {
      switch self {
      case .ok: "OK"
      case .warning: "WARNING"
      case .critical: "CRITICAL"
      case .unknown: "UNKNOWN"
      }
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encode(word)
    }
  }

  /// One resource of the desired state.
  struct Item: Encodable {
    /// Stable across runs: the desired-state key, the resource's kind and name (`iommu/kernel_args:all`).
    var id: String
    /// The desired-state key it comes from.
    var origin: String
    /// The resource's canonical address.
    var address: String
    /// What the desired state asks for.
    var desired: String
    /// What the files (links, live values) hold now.
    var configured: String
    /// What the running host does, or why that is not read.
    var active: String
    /// How it stands.
    var verdict: Verdict
    /// Why, in a sentence.
    var reason: String
  }

  /// One readiness check of `virthost facts`, with a stable ID.
  struct Check: Encodable {
    /// The check's name in lower case, words joined by `-` (`dev-kvm-access`).
    var id: String
    /// The check's name.
    var name: String
    /// `PASS`, `WARN` or `FAIL`.
    var level: ReadinessCheck.Level
    /// What was found.
    var message: String
    /// What to do, when there is something.
    var hint: String?
  }

  /// The counts and the status.
  struct Summary: Encodable {
    /// How many items have each verdict, every verdict listed.
    var counts: [String: Int]
    /// How many readiness checks failed.
    var failedChecks: Int
    /// The worst state, as monitoring-plugins' `max_state_alt` orders them.
    var status: Status
    /// The one-line form (`--format line`).
    var line: String
  }

  var schemaVersion = Self.currentSchemaVersion
  /// The root the host was read under.
  var root: String
  /// The desired-state file.
  var spec: String
  /// Every resource, in apply order.
  var items: [Item]
  /// The readiness checks.
  var checks: [Check]
  /// The plan's errors and warnings (notes are in the items).
  var diagnostics: [Diagnostic]
  /// Counts and status.
  var summary: Summary

  /// The report of `plan`, with the readiness checks of `facts`; `live` when the root is this
  /// machine's `/`, where services run.
  init(plan: Plan, facts: HostFacts, live: Bool) {
    root = plan.root
    spec = plan.specFile
    items = plan.changes.map { Self.item($0, in: plan, facts: facts, live: live) }
    if let regeneration = plan.regeneration, !plan.changes.contains(where: { $0.regeneratesBootLoader }) {
      // A regeneration the plan schedules on its own: the files are right, their output is not.
      items.append(
        Item(
          id: "kernel/boot_loader_regeneration:all", origin: "kernel", address: "boot_loader_regeneration",
          desired: "generated from the boot loader's files", configured: "older than its sources",
          active: "not applicable", verdict: .pendingRegeneration,
          reason: "apply runs " + regeneration.command.joined(separator: " ")))
    }
    items += Self.effects(of: plan, besides: items)
    checks = facts.checks.map {
      Check(id: Self.slug($0.name), name: $0.name, level: $0.level, message: $0.message, hint: $0.hint)
    }
    diagnostics = plan.diagnostics.filter { $0.severity != .note }
    var counts: [String: Int] = [:]
    for verdict in Verdict.allCases { counts[verdict.rawValue] = items.count { $0.verdict == verdict } }
    let failed = checks.count { $0.level == .fail }
    let status: Status =
      if plan.hasErrors {
        .unknown
      } else if failed > 0 || counts[Verdict.drifted.rawValue, default: 0] > 0 {
        .critical
      } else if items.contains(where: \.verdict.isPending) {
        .warning
      } else if items.contains(where: { $0.verdict == .unknown }) {
        .unknown
      } else {
        .ok
      }
    summary = Summary(
      counts: counts, failedChecks: failed, status: status,
      line: Self.line(status: status, items: items, failed: failed, errors: plan.diagnostics))
  }

  /// The diagnostics no item carries that change the verdict (``Diagnostic/Code/contribution``):
  /// a node short of its huge pages after the boot, a module option waiting for its load, a
  /// live value the kernel lacks. Each is an item of its own, its words the reason.
  private static func effects(of plan: Plan, besides items: [Item]) -> [Item] {
    let carried = Set(items.map(\.address))
    return plan.diagnostics.compactMap { diagnostic in
      guard diagnostic.severity != .error, !carried.contains(diagnostic.address?.description ?? "") else { return nil }
      let verdict: Verdict
      switch diagnostic.code.contribution {
      case .none: return nil
      case .pending: verdict = .pendingReboot
      case .pendingRestart: verdict = .pendingRestart
      case .drifted: verdict = .drifted
      case .unknown: verdict = .unknown
      }
      let key = diagnostic.keyPath ?? "host"
      return Item(
        id: "\(key)/effect:\(diagnostic.code.rawValue)", origin: key,
        address: diagnostic.address?.description ?? "effect", desired: "", configured: "", active: diagnostic.summary,
        verdict: verdict, reason: diagnostic.summary)
    }
  }

  /// The item of one resource of the plan.
  private static func item(_ change: ResourceChange, in plan: Plan, facts: HostFacts, live: Bool) -> Item {
    let notes = plan.diagnostics.filter { $0.address == change.address }
    // A code that says the boot (or the module load) carrying the configuration is still to come.
    let reboot = notes.first { $0.code.contribution == .pending }
    let restart = notes.first { $0.code.contribution == .pendingRestart }
    let unknown = notes.first {
      $0.severity != .note && $0.code.contribution != .pending && $0.code.contribution != .pendingRestart
    }
    let onlyRegenerates =
      change.address.kind == .bootLoaderRegeneration || change.address.kind == .initramfsRegeneration
      || (!change.operations.isEmpty && change.operations.allSatisfy { $0 == .regenerateBootLoader })
    let verdict: Verdict
    let reason: String
    if change.isChange {
      (verdict, reason) = onlyRegenerates ? (.pendingRegeneration, change.reason) : (.drifted, change.reason)
    } else if let reboot {
      (verdict, reason) = (.pendingReboot, reboot.summary)
    } else if let restart {
      (verdict, reason) = (.pendingRestart, restart.summary)
    } else if let unknown {
      (verdict, reason) = (.unknown, unknown.summary)
    } else {
      (verdict, reason) = (.inSync, change.reason)
    }
    return Item(
      id:
        "\(change.origins.joined(separator: "+"))/\(change.address.kind.rawValue):\(change.address.name)",
      origin: change.origin,
      address: change.address.description, desired: change.after ?? "", configured: change.before ?? "",
      active: active(change, reboot: reboot, facts: facts, live: live), verdict: verdict, reason: reason)
  }

  /// What the running host does for `change`: the running kernel's command line for kernel
  /// arguments (the root's `/proc/cmdline`, which a fixture may stand in for), the live value
  /// itself for live values, the service manager's answer for services on the live root.
  private static func active(_ change: ResourceChange, reboot: Diagnostic?, facts: HostFacts, live: Bool) -> String {
    switch change.address.kind {
    case .kernelArgs:
      guard facts.kernel.cmdline.value != nil else {
        return "unknown: \(facts.kernel.cmdline.unknown ?? "the running command line is not known")"
      }
      if let reboot { return reboot.summary.replacingOccurrences(of: "reboot required: ", with: "") }
      return "the running kernel has them (\(facts.kernel.cmdline.source))"
    case .sysfs, .kernelModule: return change.before ?? ""
    case .service: return live ? change.before ?? "" : "not applicable (offline root: no service manager runs)"
    case .file, .sysctl: return "as configured (read when the service or the kernel starts)"
    case .bootLoaderRegeneration: return "the boot loader reads the generated configuration at boot"
    case .initramfsRegeneration: return "the kernel reads the initramfs at boot"
    case .daemonRestart: return "the daemon reads its files when it starts"
    case .domain:
      // The plan's `before` ends with a running guest's affinity as libvirt's API answered it.
      if let before = change.before, let running = before.range(of: "; running: ") {
        return "running: " + before[running.upperBound...]
      }
      return live ? "not running" : "not read: a guest under another root is not running here"
    }
  }

  /// `name` in lower case with every run of other characters made one `-`: `/dev/kvm access` → `dev-kvm-access`.
  static func slug(_ name: String) -> String {
    var result = ""
    for character in name.lowercased() {
      if character.isLetter || character.isNumber {
        result.append(character)
      } else if !result.isEmpty, result.last != "-" {
        result.append("-")
      }
    }
    return result.last == "-" ? String(result.dropLast()) : result
  }

  /// `VIRTHOST CRITICAL - 2 drifted, 1 pending reboot, 9 in sync | in_sync=9 drifted=2 pending=1 unknown=0`.
  private static func line(status: Status, items: [Item], failed: Int, errors: [Diagnostic]) -> String {
    var parts: [String] = []
    if status == .unknown, let error = errors.first(where: { $0.severity == .error }) {
      parts.append("cannot plan: \(error.summary)")
    }
    for verdict in [Verdict.drifted, .pendingRegeneration, .pendingReboot, .pendingRestart, .unknown, .inSync] {
      let count = items.count { $0.verdict == verdict }
      if count > 0 { parts.append("\(count) \(verdict.words)") }
    }
    if failed > 0 { parts.append("\(failed) readiness check\(failed == 1 ? "" : "s") failed") }
    if parts.isEmpty { parts.append("nothing to check") }
    let count = { (verdicts: [Verdict]) in items.count { verdicts.contains($0.verdict) } }
    let perfdata =
      "in_sync=\(count([.inSync])) drifted=\(count([.drifted])) "
      + "pending=\(count([.pendingRegeneration, .pendingReboot, .pendingRestart])) unknown=\(count([.unknown])) "
      + "failed_checks=\(failed)"
    return "VIRTHOST \(status.word) - \(parts.joined(separator: ", ")) | \(perfdata)"
  }
}
