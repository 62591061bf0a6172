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
    /// Why, in words.
    var reason: String
    /// What a missing service means: `true` an error, `false` nothing to do.
    var required: Bool
    /// Whether this plan installs the service's unit or init script.
    var installedByPlan = false
  }

  var intents: [Intent]

  var origin: String { "services" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let editor = try ServiceEditor(root: context.host)
    let manager = ServiceManager(editor.services)
    var result: [ResourceChange] = []
    for intent in intents {
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
              address: address,
              keyPath: intent.origin))
        }
        continue
      }
      if state.masked && intent.enabled {
        context.report(
          Diagnostic(
            .error, .maskedService, "service \(intent.name) is masked and cannot be enabled",
            detail: "Unmask it (systemctl unmask \(intent.name)) first.", address: address, keyPath: intent.origin))
        continue
      }
      var actions: [Action] = []
      var links: [LinkChange] = []
      var deferred: String?
      if !state.exists {
        deferred = intent.name
        actions.append(.enable)
      } else {
        links = try editor.enablementChanges(intent.name, enabled: intent.enabled)
        if !links.isEmpty { actions.append(intent.enabled ? .enable : .disable) }
      }
      var isRunning: Bool?
      var unknown: String?
      if state.exists && context.isLive && intent.running != nil {
        do {
          isRunning = try manager.isRunning(intent.name)
        } catch {
          unknown = error.message
        }
      }
      if let running = intent.running, context.isLive {
        if isRunning == nil && state.exists {
          context.report(
            Diagnostic(
              .warning, .serviceStateUnknown,
              "cannot tell whether \(intent.name) runs; its running state is left alone",
              detail: unknown, address: address, keyPath: intent.origin))
        } else if isRunning != running {
          actions.append(running ? .start : .stop)
        }
      }
      let boot = state.exists ? (state.enabled ? "enabled" : "disabled") : "not installed"
      let now = isRunning.map { $0 ? ", running" : ", stopped" } ?? ""
      let wantNow = intent.running.flatMap { context.isLive ? ($0 ? ", running" : ", stopped") : nil } ?? ""
      var change = ResourceChange(
        address, actions: actions, before: boot + now, after: (intent.enabled ? "enabled" : "disabled") + wantNow,
        reason: intent.reason, origin: intent.origin)
      change.links = links
      change.enableAfterInstall = deferred
      change.service = actions.contains(.start) || actions.contains(.stop) ? intent.name : nil
      result.append(change)
    }
    return result
  }
}
