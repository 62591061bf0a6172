import Engine
import Foundation
import HostFacts
import HostProcesses
import RootFS

/// `virthost` as an Ansible binary module: reads the arguments file Ansible
/// passes, plans the desired state on the root, applies it unless Ansible runs
/// in check mode, and prints exactly one JSON result.
///
/// Not for people: `virthost plan` and `apply` are the commands for a terminal.
public enum AnsibleModule {
  /// Whether the process was started as a module (see ``ModuleArguments/isInvocation(_:)``).
  public static func isInvocation(_ arguments: [String]) -> Bool {
    ModuleArguments.isInvocation(arguments)
  }

  /// Runs the module on the arguments file at `path`; returns the JSON result
  /// (one line) and the exit status (0, or 1 when `failed`).
  public static func run(argumentsFile path: String) -> (json: String, status: Int32) {
    var result: [String: Any]
    do {
      result = try run(ModuleArguments(path: path))
    } catch {
      result = ["failed": true, "changed": false, "msg": error.message]
    }
    let failed = result["failed"] as? Bool ?? false
    let data = (try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])) ?? Data()
    return (String(decoding: data, as: UTF8.self), failed ? 1 : 0)
  }

  static func run(_ arguments: ModuleArguments) throws(ModuleFailure) -> [String: Any] {
    let (specText, specFile) = try spec(arguments.spec)
    let root: HostRoot
    do {
      root = try HostRoot(arguments.root)
    } catch {
      throw ModuleFailure("cannot use root \(arguments.root): \(error)")
    }
    let engine = Engine(
      planner: Planner(root: root, bundledTuner: arguments.tunerBinary ?? EngineSetup.bundledTuner))
    let plan: Plan
    do {
      plan = try engine.planToApply(specText: specText, specFile: specFile)
    } catch {
      throw ModuleFailure("the desired state is invalid: \(error)")
    }
    let facts = HostFacts.gather(root: root)
    var result = report(plan, root: root, facts: facts, arguments: arguments)
    if plan.hasErrors {
      let errors = plan.diagnostics.filter { $0.severity == .error }.map(\.summary)
      result["failed"] = true
      result["msg"] = "the plan has errors: " + errors.joined(separator: "; ")
      return result
    }
    var after = plan
    if plan.hasChanges && !arguments.checkMode {
      do {
        let report = try engine.apply(plan)
        if let pending = report.pendingRegeneration {
          result["pending_regeneration"] = pending.command.joined(separator: " ")
        }
        // The plan apply made after writing is the host as it is now: no third plan.
        after = try report.after ?? engine.plan(specText: specText, specFile: specFile)
      } catch {
        result["failed"] = true
        result["msg"] = "apply failed: \(error)"
        return result
      }
    }
    result["check"] = verdict(after, root: root, facts: facts)
    return result
  }

  /// `virthost check`'s summary of the host as the run leaves it (the plan after the
  /// apply; in check mode, the host as found): its status, counts and monitoring line,
  /// the same verdict `check --format json` gives.
  static func verdict(_ plan: Plan, root: HostRoot, facts: HostFacts) -> Any {
    let summary = DriftReport(plan: plan, facts: facts, live: root.isLive).summary
    return (try? JSONSerialization.jsonObject(with: Data(JSONOutput.text(summary).utf8))) ?? [:]
  }

  private static func spec(_ source: ModuleArguments.SpecSource) throws(ModuleFailure) -> (String, String) {
    switch source {
    case .inline(let text): return (text, "<spec argument>")
    case .file(let path):
      guard let data = FileManager.default.contents(atPath: path) else {
        throw ModuleFailure("cannot read spec_file \(path): no such file or not readable")
      }
      return (String(decoding: data, as: UTF8.self), path)
    }
  }

  /// The result fields: `changed`, `msg`, the plan, `reboot_required` (the managed host
  /// must reboot: only for the live `/`) and `reboot_pending_for_root` (a change waits for
  /// the boot of the root given, an image that is not this host), `guests_running` (the
  /// QEMU processes of this host, KVM or TCG, libvirt's domains among them: what a reboot
  /// would stop; 0 for another root), the facts and, in diff mode, Ansible's `diff` list.
  static func report(_ plan: Plan, root: HostRoot, facts: HostFacts, arguments: ModuleArguments) -> [String: Any] {
    // Offline, a plan whose only change is a pending regeneration changes nothing: only
    // the host itself can regenerate, and the result says so.
    let leftToHost = !root.isLive && plan.onlyRegenerationPending
    var result: [String: Any] = [
      "changed": plan.hasChanges && !leftToHost,
      "failed": false,
      "msg": plan.summary,
      "reboot_required": plan.rebootRequired && root.isLive,
      "reboot_pending_for_root": plan.rebootRequired && !root.isLive,
      "guests_running": root.isLive ? QEMUProcesses.count(root: root) : 0,
      "plan": [
        "summary": plan.summary,
        "changes": plan.pendingChanges.map { change in
          [
            "address": change.address.description, "actions": change.actions.map(\.rawValue),
            "origins": change.origins, "reason": change.reason,
          ] as [String: Any]
        },
        "notes": plan.diagnostics.map { "\($0.severity.rawValue): \($0.summary)" },
        "read_path": ["taken": plan.readPath.name, "reason": plan.readPath.reason],
      ] as [String: Any],
    ]
    let factsJSON = FactsReport(root: arguments.root, facts: facts).json()
    result["facts"] = (try? JSONSerialization.jsonObject(with: Data(factsJSON.utf8))) ?? [:]
    if arguments.diff { result["diff"] = diff(plan) }
    if leftToHost, let regeneration = plan.regeneration {
      result["pending_regeneration"] = regeneration.command.joined(separator: " ")
    }
    return result
  }

  /// Ansible's diff list: a before/after pair per file, with `a/` and `b/`
  /// headers, then one per change that writes no file (a service, a live value).
  static func diff(_ plan: Plan) -> [[String: String]] {
    var entries: [[String: String]] = []
    for change in plan.pendingChanges {
      for file in change.files {
        var entry = ["before_header": "a" + file.path, "after_header": "b" + file.path]
        if let before = UnifiedDiff.text(file.before), let after = UnifiedDiff.text(file.after) {
          entry["before"] = before
          entry["after"] = after
        } else {
          entry["dst_binary"] = "true"  // Ansible then prints "diff skipped: … binary".
        }
        entries.append(entry)
      }
      if change.files.isEmpty {
        let address = change.address.description
        entries.append([
          "before_header": address, "after_header": address,
          "before": change.before.map { $0 + "\n" } ?? "", "after": change.after.map { $0 + "\n" } ?? "",
        ])
      }
    }
    return entries
  }
}
