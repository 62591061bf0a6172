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

  /// Creates a state.
  public init(name: String, exists: Bool, enabled: Bool, masked: Bool, detail: String) {
    self.name = name
    self.exists = exists
    self.enabled = enabled
    self.masked = masked
    self.detail = detail
  }
}
