/// The answer `systemctl is-enabled` gives for a unit (SysV scripts: `enabled`, `disabled`, `not-found`).
public enum EnablementState: String, Sendable, Codable, Equatable {
  /// Enablement links exist (a SysV script: started in each of its default start levels).
  case enabled
  /// It can be enabled and is not.
  case disabled
  /// No `[Install]` section: nothing to enable.
  case `static`
  /// Its `[Install]` has only `Also=` (or, for a template, another instance is enabled).
  case indirect
  /// The name is an alias link of another unit.
  case alias
  /// Linked to `/dev/null`.
  case masked
  /// No such unit or script.
  case notFound = "not-found"

  /// Whether `systemctl is-enabled` exits 0 with this answer.
  public var isEnabledSucceeds: Bool { [.enabled, .alias, .static, .indirect].contains(self) }
}

/// What the root says about a service's enablement at boot.
public struct ServiceState: Sendable, Equatable {
  /// The name asked for (`ksm`).
  public var name: String
  /// Whether the init script or unit file exists.
  public var exists: Bool
  /// SysV: started in every level it is enabled in by default (2345 for `# chkconfig: -`);
  /// systemd: some enablement link exists, as `systemctl is-enabled` says `enabled`.
  public var enabled: Bool
  /// Whether the unit is masked (a link to `/dev/null`); always false for SysV.
  public var masked: Bool
  /// For people: the `chkconfig --list` line (`ksm 0:off 1:off 2:on 3:on 4:on 5:on 6:off`) or
  /// the systemd state (`enabled (multi-user.target.wants)`, `disabled`, `masked`, `static`).
  public var detail: String
  /// The `is-enabled` answer, as a value.
  public var answer: EnablementState

  /// Creates a state; `answer` defaults to what the other fields say.
  public init(
    name: String, exists: Bool, enabled: Bool, masked: Bool, detail: String, answer: EnablementState? = nil
  ) {
    self.name = name
    self.exists = exists
    self.enabled = enabled
    self.masked = masked
    self.detail = detail
    self.answer = answer ?? (masked ? .masked : !exists ? .notFound : enabled ? .enabled : .disabled)
  }
}
