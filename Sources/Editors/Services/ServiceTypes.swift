/// The init system whose conventions decide how a service is enabled at boot.
public enum InitSystem: String, Sendable, Codable {
  /// SysV init scripts in `/etc/rc.d/init.d` or `/etc/init.d`, with `rcN.d` link folders (chkconfig, update-rc.d).
  case sysv
  /// systemd units, enabled by symlinks under `/etc/systemd/system`.
  case systemd

  /// The init system the root uses, from what is on disk:
  ///
  /// 1. `/run/systemd/system` is a folder (systemd is running: the live root) → systemd;
  /// 2. `/sbin/init` or `/usr/sbin/init` is a link to systemd → systemd;
  /// 3. `/etc/systemd/system` exists and systemd is installed (`/lib/systemd/systemd`
  ///    or `/usr/lib/systemd/systemd`) → systemd;
  /// 4. an init script folder and at least one `rcN.d` folder exist → sysv
  ///    (upstart hosts such as CentOS 6 start their services this way too).
  ///
  /// - Throws: ``EditorError`` naming what was looked for when none of these holds.
  public static func detect(root: String) throws(EditorError) -> InitSystem {
    let paths = RootPath(root)
    if paths.isDirectory("/run/systemd/system") { return .systemd }
    for initPath in ["/sbin/init", "/usr/sbin/init"] {
      if let text = paths.linkText(initPath), text.hasSuffix("/systemd") || text == "systemd" { return .systemd }
    }
    if paths.isDirectory("/etc/systemd/system"),
      paths.kind(paths.resolve("/lib/systemd/systemd")) != nil
        || paths.kind(paths.resolve("/usr/lib/systemd/systemd")) != nil
    {
      return .systemd
    }
    if SysVServices.initDirectory(paths) != nil,
      (0...6).contains(where: { SysVServices.levelDirectory(paths, $0) != nil })
    {
      return .sysv
    }
    throw EditorError(
      message: "cannot tell the init system of the root \(root): no /run/systemd/system, no /sbin/init linked to "
        + "systemd, no /etc/systemd/system with systemd installed, and no /etc/rc.d/init.d or /etc/init.d with "
        + "rcN.d folders")
  }
}

/// One symlink to create or remove: what enabling or disabling a service at boot is made of.
public struct LinkChange: Sendable, Equatable, Codable {
  /// Whether the link is created or removed.
  public enum Kind: String, Sendable, Codable {
    /// The link is created.
    case create
    /// The link is removed.
    case remove
  }

  /// Create or remove.
  public var kind: Kind
  /// The link's path from the root, for example `/etc/rc.d/rc3.d/S84ksm`.
  public var path: String
  /// The link's text: what it points to (`../init.d/ksm`); for a removal, the text it has now.
  public var target: String

  /// Creates a change.
  public init(kind: Kind, path: String, target: String) {
    self.kind = kind
    self.path = path
    self.target = target
  }
}

/// What the root says about a service's enablement at boot.
public struct ServiceState: Sendable, Equatable {
  /// The name asked for (`ksm`).
  public var name: String
  /// Whether the init script or unit file exists.
  public var exists: Bool
  /// SysV: started in every level it is enabled in by default (2345 for `# chkconfig: -`);
  /// systemd: some enablement link exists, as `systemctl is-enabled` says `enabled`.
  /// ``ServiceEditor/enablementChanges(_:enabled:)`` gives the exact difference.
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
