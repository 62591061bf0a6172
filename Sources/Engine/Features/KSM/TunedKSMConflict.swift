import HostConfig
import RootFS

/// What `ksm.enabled: true` asks that the active tuned profile undoes: a profile that stops
/// KSM (`[sysfs] /sys/kernel/mm/ksm/run=0`). tuned applies its profile at every start,
/// after virthost's settings, so both cannot hold: the plan names both owners and leaves
/// the choice to the admin (virthost never edits tuned's files). Reads tuned's state in
/// every plan (it is not one of virthost's files), and changes nothing.
struct TunedKSMConflict: ResourceProvider {
  var origin: String { "ksm.enabled" }

  func changes(in context: PlanContext) -> [ResourceChange] {
    Self.diagnostics(context.host).forEach(context.report)
    return []
  }

  /// The diagnostics on `root`.
  static func diagnostics(_ root: HostRoot) -> [Diagnostic] {
    let tuned: Tuned?
    do { tuned = try Tuned.read(root, tunedParams: nil) } catch {
      return [Diagnostic(.warning, .hostFile, "tuned's state cannot be read: \(error)", keyPath: "ksm.enabled")]
    }
    guard let tuned, let file = tuned.ksmDisabledBy else { return [] }
    return [
      Diagnostic(
        .warning, .tunedConflict,
        "tuned profile \(tuned.profile) (\(file)) stops KSM (/sys/kernel/mm/ksm/run=0), but virthost's ksm.enabled: true starts it",
        detail:
          "tuned applies its profile each time it starts and undoes the setting; remove the [sysfs] line from the profile (or choose another profile), or set ksm.enabled: false.",
        address: ResourceAddress(.sysfs, "/sys/kernel/mm/ksm/run"), keyPath: "ksm.enabled")
    ]
  }
}
