import Editors
import HostConfig
import HostFacts

/// The `daemon_restart["libvirtd.service"]` resource: the QEMU driver's daemon restarted after
/// this plan writes a file it reads only when it starts (qemu.conf; a hugetlbfs mount unit,
/// since libvirt lists the mounts of `/proc/mounts` at start). Its one operation comes after
/// every start and stop, so a new mount is mounted first.
///
/// On the live host the restart is planned only when the daemon runs now (a stopped one reads
/// the files when it starts); on another root it is shown and reported as a pending restart.
/// Running guests keep running: libvirt reconnects to their QEMU processes, which keep the
/// settings they were started with. On the live host a running guest's job (a migration, a save,
/// a block job: ``GuestJobSource``) holds the restart: no operation, a `daemon-restart-held`
/// warning naming each guest and job; so does a daemon that cannot be asked (docs/libvirt.md).
/// A plan that changes none of the files judges what earlier changes left: a daemon started
/// before their last change owes a restart (`daemon-restart-owed`), and running guests started
/// before it are on the old settings (`guests-on-old-settings`); both are pending restarts,
/// which apply does not carry out (it restarts only for files it writes).
struct DaemonRestartProvider: ResourceProvider {
  /// A file whose change restarts the daemon.
  struct Trigger: Equatable {
    /// The file, from the root.
    var path: String
    /// The key that writes it.
    var origin: String
  }

  /// The daemon's unit.
  var daemon: String
  /// The files, in registry order.
  var triggers: [Trigger]

  var origin: String { triggers.first?.origin ?? "libvirt" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let changed = triggers.filter { context.plannedFiles.contains($0.path) }
    guard !changed.isEmpty else {
      // Nothing to restart for: judge a restart still owed, and the guests on the old settings.
      QemuDriverRestart.read(context.host, daemon: daemon, files: triggers.map(\.path)).diagnostics(
        origin: origin
      ).forEach(context.report)
      return []
    }
    if context.isLive {
      let manager = ServiceManager(try ServiceEditor(root: context.host).services)
      let running: Bool?
      do throws(ServiceConfigError) {
        running = try manager.isRunning(daemon)
      } catch {
        running = nil
      }
      guard running != false else { return [] }
      if let held = hold(context.guestJobs, files: changed.map(\.path)) {
        context.report(held)
        return []
      }
    }
    let files = changed.map(\.path)
    var change = ResourceChange(
      ResourceAddress(.daemonRestart, daemon), actions: [.update], before: "started before this plan's files",
      after: "restarted",
      reason: "\(daemon) reads \(files.joined(separator: ", ")) only when it starts",
      origin: changed[0].origin)
    change.origins = Array(Set(changed.map(\.origin))).sorted()
    change.operations = [.restartService(daemon)]
    return [change]
  }

  /// Why the restart must wait, asked of `source`: a running guest's job, or a daemon that
  /// cannot be asked; `nil` when nothing holds it.
  func hold(_ source: any GuestJobSource, files: [String]) -> Diagnostic? {
    let reason: String
    do throws(GuestJobQueryError) {
      let jobs = try source.jobs()
      guard !jobs.isEmpty else { return nil }
      reason = jobs.map(\.description).joined(separator: ", ") + ", which a restart would interrupt"
    } catch {
      reason = error.reason
    }
    return Diagnostic(
      .warning, .daemonRestartHeld, "pending restart: \(daemon) is not restarted: \(reason)",
      detail: "\(daemon) reads \(files.joined(separator: ", ")) only when it starts; restart it when the job ends "
        + "(`systemctl restart \(daemon)`), or apply again.",
      address: ResourceAddress(.daemonRestart, daemon), keyPath: triggers.first?.origin)
  }
}

extension QemuDriverRestart {
  /// What `check` reports: a restart owed, and the guests on the old settings.
  func diagnostics(origin: String) -> [Diagnostic] {
    var found: [Diagnostic] = []
    let address = ResourceAddress(.daemonRestart, daemon)
    if restartOwed, let lastChange {
      found.append(
        Diagnostic(
          .warning, .daemonRestartOwed,
          "pending restart: \(daemon) started before \(lastChange.path) last changed, so it runs on the old settings",
          detail: "Restart it (`systemctl restart \(daemon)`) when no guest has a migration or block job.",
          address: address, keyPath: origin))
    }
    if !guestsOnOldSettings.isEmpty, let lastChange {
      let names = guestsOnOldSettings.map { "'\($0)'" }.joined(separator: ", ")
      let count = guestsOnOldSettings.count
      found.append(
        Diagnostic(
          .note, .guestsOnOldSettings,
          "guest\(count == 1 ? "" : "s") \(names) started before \(lastChange.path) last changed and "
            + "\(count == 1 ? "keeps" : "keep") the settings \(count == 1 ? "it" : "they") started with",
          detail: "A guest takes the QEMU driver's settings when it starts: shut it down and start it again.",
          address: address, keyPath: origin))
    }
    return found
  }
}
