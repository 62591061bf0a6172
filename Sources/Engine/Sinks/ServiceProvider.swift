import Editors
import HostConfig

/// The `service[...]` resources: enablement at boot (links, through
/// ``ServiceEditor``) and, on a live host, the running state.
struct ServiceProvider: ResourceProvider {
  /// What the desired state asks of one service.
  struct Intent: Equatable {
    /// The service.
    var name: String
    /// Started at boot or not.
    var enabled: Bool
    /// Running now or not, on a live host; `nil` leaves it.
    var running: Bool?
    /// The desired key that asks for it.
    var origin: String
    /// The key and its value as the spec has them (`services.libvirtd: enabled`, `ksm.enabled: true`).
    var setting: String
    /// Why, in words.
    var reason: String
    /// What a missing service means: `true` an error, `false` nothing to do.
    var required: Bool
    /// Whether this plan installs the service's unit or init script.
    var installedByPlan = false
    /// Units this intent's disabling leaves alone, although its `Also=` lines name them:
    /// another intent of the same key enables them (libvirt's `virtlogd.socket`, shared by
    /// `libvirtd.service` and `virtqemud.service`). Their links stay, and no conflict is seen.
    var keeps: Set<String> = []
  }

  var intents: [Intent]

  var origin: String { "services" }

  /// Enablement is links and unit files; the running state is live, read only on the live
  /// host for a service whose running state is asked: then the provider runs every time.
  func isTraced(in context: PlanContext) -> Bool { !context.isLive || intents.allSatisfy { $0.running == nil } }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try ServiceEditor(root: context.host)
    let manager = ServiceManager(editor.services, isLive: context.isLive)
    let blocked = conflicts(editor, context)
    var result: [ResourceChange] = []
    for (index, intent) in intents.enumerated() where !blocked.contains(index) {
      do {
        if let change = try change(intent, editor, manager, context) { result.append(change) }
      } catch {
        context.report(
          Diagnostic(
            .error, .hostFile, error.description, address: ResourceAddress(.service, intent.name),
            keyPath: intent.origin))
      }
    }
    if result.contains(where: \.isChange) {
      // Whose semantics the planned links follow; said only where links or services change.
      context.report(Diagnostic(.note, .serviceSemantics, editor.semantics.summary))
    }
    return result
  }

  private func change(_ intent: Intent, _ editor: ServiceEditor, _ manager: ServiceManager, _ context: PlanContext)
    throws(EditorError) -> ResourceChange?
  {
    let address = ResourceAddress(.service, intent.name)
    let state = try editor.state(intent.name)
    context.observe(
      .service(intent.name),
      "exists=\(state.exists) enabled=\(state.enabled) masked=\(state.masked) \(state.detail)")
    if !state.exists && !intent.installedByPlan {
      if intent.required {
        context.report(
          Diagnostic(
            .error, .unknownService, "service \(intent.name) does not exist on this host", detail: intent.reason,
            address: address, keyPath: intent.origin))
      }
      return nil
    }
    if state.masked && (intent.enabled || intent.running == true) {
      context.report(
        Diagnostic(
          .error, .maskedService, "service \(intent.name) is masked and cannot be enabled or started",
          detail: "\(state.detail): unmask it (systemctl unmask \(UnitName(intent.name).unit)) for \(intent.setting).",
          address: address, keyPath: intent.origin))
      return nil
    }
    var actions: [Action] = []
    var enablement = ServiceEnablement()
    var deferred: String?
    if !state.exists {
      // A Debian SysV host with insserv enables a script it installs as update-rc.d's
      // `defaults` does, with `insserv NAME`; elsewhere its links are computed once installed.
      if let once = editor.enablementOnceInstalled(intent.name) { enablement = once } else { deferred = intent.name }
      actions.append(.enable)
    } else {
      enablement = try editor.enablement(intent.name, enabled: intent.enabled)
      if !intent.enabled && !intent.keeps.isEmpty {
        enablement.links.removeAll { intent.keeps.contains(String($0.path.split(separator: "/").last ?? "")) }
      }
      if !enablement.links.isEmpty || !enablement.programs.isEmpty {
        actions.append(intent.enabled ? .enable : .disable)
      }
    }
    if !context.isLive && !enablement.programs.isEmpty {
      // Only the host can run them (insserv reads the whole init.d): the links are written
      // here, the rest waits for the host, and check keeps saying so until it has run.
      context.report(
        Diagnostic(
          .note, .pendingInsserv,
          "\(intent.name): pending \(enablement.programs.map(\.shown).joined(separator: ", "))",
          detail: "The root is not /: run it on the host itself, as update-rc.d does after the links; until then "
            + "insserv's /etc/init.d/.depend.* files, which sysv-rc's startpar boots from, are the old ones.",
          address: address,
          keyPath: intent.origin))
      enablement.programs = []
      if enablement.links.isEmpty { actions.removeAll() }
    }
    for warning in enablement.warnings {
      context.report(Diagnostic(.warning, .alsoUnitMissing, warning, address: address, keyPath: intent.origin))
    }
    let isRunning = running(intent, state, manager, context)
    if let running = intent.running, context.isLive, let isRunning, isRunning != running {
      actions.append(running ? .start : .stop)
    }
    let now = isRunning.map { $0 ? ", running" : ", stopped" } ?? ""
    let wantNow = intent.running.flatMap { context.isLive ? ($0 ? ", running" : ", stopped") : nil } ?? ""
    var (before, after) = try bootStates(intent, state, editor)
    if before == after && !enablement.links.isEmpty {
      // Enabled already, but links of it still differ (an init script's rc links, an alias):
      // say so rather than show a change from a state to itself.
      after += " (\(enablement.links.count) link\(enablement.links.count == 1 ? "" : "s") to sync)"
    }
    var change = ResourceChange(
      address, actions: actions, before: before + now, after: after + wantNow, reason: intent.reason,
      origin: intent.origin)
    if !enablement.links.isEmpty {
      change.operations.append(.setLinks(service: intent.name, enabled: intent.enabled, links: enablement.links))
    }
    change.operations += enablement.programs.map { .runAfterLinks($0) }
    if let deferred { change.operations.append(.enableInstalled(service: deferred)) }
    if actions.contains(.start) { change.operations.append(.startService(intent.name)) }
    if actions.contains(.stop) { change.operations.append(.stopService(intent.name)) }
    return change
  }

  /// Whether the service runs now, when the intent cares and it can be told; a warning
  /// saying why when it cannot (then no start or stop is planned).
  private func running(_ intent: Intent, _ state: ServiceState, _ manager: ServiceManager, _ context: PlanContext)
    -> Bool?
  {
    guard state.exists || intent.installedByPlan, context.isLive, intent.running != nil else { return nil }
    let address = ResourceAddress(.service, intent.name)
    if case .unavailable(let reason) = manager.availability {
      context.report(
        Diagnostic(
          .warning, .noServiceManager, "\(reason): running state of \(intent.name) left alone",
          detail: "Enablement at boot is still planned.", address: address, keyPath: intent.origin))
      return nil
    }
    // A unit this plan installs (the bundled tuner's) does not run yet: start it after install.
    guard state.exists else { return false }
    do throws(ServiceConfigError) {
      if let running = try manager.isRunning(intent.name) { return running }
      throw .statusUnknown(intent.name, output: "")
    } catch {
      context.report(
        Diagnostic(
          .warning, .serviceStateUnknown, "cannot tell whether \(intent.name) runs; its running state is left alone",
          detail: error.message, address: address, keyPath: intent.origin))
      return nil
    }
  }

  /// The boot state before and after, as `systemctl is-enabled` says it; an `indirect` unit
  /// (only `Also=`) shows its `Also=` units' states, which are what changes.
  private func bootStates(_ intent: Intent, _ state: ServiceState, _ editor: ServiceEditor) throws(EditorError) -> (
    String, String
  ) {
    guard state.exists else { return ("not installed", intent.enabled ? "enabled" : "disabled") }
    let after: EnablementState =
      switch state.answer {
      case .masked, .static, .indirect: state.answer
      default: intent.enabled ? .enabled : .disabled
      }
    guard state.answer == .indirect else { return (state.answer.rawValue, after.rawValue) }
    var before: [String] = []
    var later: [String] = []
    for unit in try editor.closure(intent.name).units.dropFirst() {
      let member = try editor.state(unit)
      before.append("\(unit): \(member.answer.rawValue)")
      let next = [.enabled, .disabled].contains(member.answer) ? (intent.enabled ? "enabled" : "disabled") : nil
      later.append("\(unit): \(next ?? member.answer.rawValue)")
    }
    guard !before.isEmpty else { return ("indirect", "indirect") }
    return (
      "indirect (" + before.joined(separator: ", ") + ")", "indirect (" + later.joined(separator: ", ") + ")"
    )
  }

  /// The intents whose `Also=` closures overlap with opposite desires (one enables a unit the
  /// other disables, so each apply would undo the last): an error naming both keys, and the
  /// indices of both, which are not planned.
  private func conflicts(_ editor: ServiceEditor, _ context: PlanContext) -> Set<Int> {
    guard editor.initSystem == .systemd else { return [] }
    let closures = intents.map { intent in (try? editor.closure(intent.name).units) ?? [] }
    var blocked: Set<Int> = []
    for (a, on) in intents.enumerated() where on.enabled {
      for (b, off) in intents.enumerated() where !off.enabled && UnitName(on.name).key != UnitName(off.name).key {
        guard let shared = closures[b].first(where: { closures[a].contains($0) && !off.keeps.contains($0) }) else {
          continue
        }
        let through = [(closures[a], on), (closures[b], off)].compactMap { closure, intent in
          alsoParent(of: shared, in: closure, editor).map { "\($0) has Also=\(shared)" }
        }
        context.report(
          Diagnostic(
            .error, .conflictingServices,
            "\(off.setting) disables \(shared), which \(on.setting) enables"
              + (through.isEmpty ? "" : " (\(through.joined(separator: "; ")))"),
            detail: "Remove one of the two keys, or give both the same state.",
            address: ResourceAddress(.service, off.name), keyPath: off.origin))
        blocked.formUnion([a, b])
      }
    }
    return blocked
  }

  /// The unit of `closure` whose `Also=` names `unit` (`nil` when `unit` is the closure's own unit).
  private func alsoParent(of unit: String, in closure: [String], _ editor: ServiceEditor) -> String? {
    guard closure.first != unit else { return nil }
    let systemd = editor.services.systemd
    return closure.first { name in
      guard let found = systemd.find(name), found.maskedBy == nil, let install = try? systemd.install(found) else {
        return false
      }
      return install.also.map(SystemdServices.unitName).contains(unit)
    }
  }
}
