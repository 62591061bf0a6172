import HostConfig

/// One service virthost cares about: installed, enabled at boot, and running now.
///
/// Read as the service editor reads it (``HostConfig/ServiceReader``: SysV init scripts and
/// `rcN.d` links, or systemd units and their links under `/etc/systemd/system`).
public struct ServiceFacts: Sendable, Codable, Equatable {
  /// Whether the init script or unit file exists.
  public var exists: Fact<Bool>
  /// Whether it starts at boot, as `chkconfig --list` or `systemctl is-enabled` would say.
  public var enabled: Fact<Bool>
  /// Whether the unit is masked (systemd; always false for SysV).
  public var masked: Fact<Bool>
  /// The init system's own words: `ksm 0:off 1:off 2:on …` or `enabled (multi-user.target.wants)`.
  public var detail: Fact<String>
  /// Whether it runs now, from `service NAME status` or `systemctl is-active NAME`: known on
  /// the live `/` only (unknown under another root, where nothing can be asked, and on a
  /// live machine whose systemd does not run); false when the service does not exist.
  public var running: Fact<Bool>

  private enum CodingKeys: String, CodingKey {
    case exists, enabled, masked, detail, running
  }

  /// The facts of a service, every one unknown for `reason`.
  init(unknown reason: String, source: String) {
    let unknown = Fact<Bool>.unknown(reason, source: source)
    (exists, enabled, masked, running) = (unknown, unknown, unknown, unknown)
    detail = .unknown(reason, source: source)
  }

  /// The facts of the service `name` as `manager`'s reader reads them; whether it runs is asked
  /// only when the service manager is available (the live `/`, its service manager running).
  init(_ name: String, manager: ServiceManager) {
    let services = manager.services
    let source =
      switch services.initSystem {
      case .sysv: "SysV rcN.d links of \(name)"
      case .systemd: "systemd links of \(name).service"
      }
    let state: ServiceState
    do {
      state = try services.state(name)
    } catch {
      self.init(unknown: error.description, source: source)
      return
    }
    let command = services.initSystem == .systemd ? "systemctl is-active \(name)" : "service \(name) status"
    let running: Fact<Bool>
    switch manager.availability {
    case _ where !state.exists: running = .known(false, source: source)
    case .unavailable(let reason): running = .unknown(reason, source: command)
    case .available:
      do {
        running =
          try manager.isRunning(name).map { .known($0, source: command) }
          ?? .unknown("the service manager cannot tell", source: command)
      } catch {
        running = .unknown(error.description, source: command)
      }
    }
    self.init(
      exists: .known(state.exists, source: source), enabled: .known(state.enabled, source: source),
      masked: .known(state.masked, source: source), detail: .known(state.detail, source: source), running: running)
  }

  private init(exists: Fact<Bool>, enabled: Fact<Bool>, masked: Fact<Bool>, detail: Fact<String>, running: Fact<Bool>) {
    self.exists = exists
    self.enabled = enabled
    self.masked = masked
    self.detail = detail
    self.running = running
  }
}
