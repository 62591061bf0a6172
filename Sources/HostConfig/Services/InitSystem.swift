import RootFS

/// The init system whose conventions decide how a service is enabled at boot.
public enum InitSystem: String, Sendable, Codable {
  /// SysV init scripts in `/etc/rc.d/init.d` or `/etc/init.d`, with `rcN.d` link folders (chkconfig, update-rc.d).
  case sysv
  /// systemd units, enabled by symlinks under `/etc/systemd/system`.
  case systemd

  /// What ``detect(root:)`` looks at, in its order.
  public static let detection = "/run/systemd/system, /sbin/init, /etc/systemd/system, rcN.d folders"

  /// The init system the root uses, from what is on disk:
  ///
  /// 1. `/run/systemd/system` is a folder (systemd is running: the live root) → systemd;
  /// 2. `/sbin/init` or `/usr/sbin/init` is a link to systemd → systemd;
  /// 3. `/etc/systemd/system` exists and systemd is installed (`/lib/systemd/systemd`
  ///    or `/usr/lib/systemd/systemd`) → systemd;
  /// 4. an init script folder and at least one `rcN.d` folder exist → sysv
  ///    (upstart hosts such as CentOS 6 start their services this way too).
  ///
  /// - Throws: ``ServiceConfigError/unknownInitSystem(root:)`` when none of these holds.
  public static func detect(root: HostRoot) throws(ServiceConfigError) -> InitSystem {
    if root.isDirectory("/run/systemd/system") { return .systemd }
    for initPath in ["/sbin/init", "/usr/sbin/init"] {
      if let text = root.linkText(initPath), text.hasSuffix("/systemd") || text == "systemd" { return .systemd }
    }
    if root.isDirectory("/etc/systemd/system"),
      root.status("/lib/systemd/systemd") != nil || root.status("/usr/lib/systemd/systemd") != nil
    {
      return .systemd
    }
    if SysVServices.initDirectory(root) != nil,
      (0...6).contains(where: { SysVServices.levelDirectory(root, $0) != nil })
    {
      return .sysv
    }
    throw .unknownInitSystem(root: root.path)
  }
}
