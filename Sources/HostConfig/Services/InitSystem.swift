import RootFS

/// The init system whose conventions decide how a service is enabled at boot.
public enum InitSystem: String, Sendable, Codable {
  /// SysV init scripts in `/etc/rc.d/init.d` or `/etc/init.d`, with `rcN.d` link folders (chkconfig, update-rc.d).
  case sysv
  /// systemd units, enabled by symlinks under `/etc/systemd/system`.
  case systemd

  /// What ``detect(root:)`` looks at on a root other than the live `/`, in its order.
  public static let detection = "/run/systemd/system, /sbin/init, /etc/systemd/system, rcN.d folders"

  /// What ``detect(root:)`` looks at under `root`, in its order: PID 1 first on the live `/`.
  public static func detection(root: HostRoot) -> String {
    root.isLive ? "PID 1 (/proc/1/exe, /proc/1/comm), " + detection : detection
  }

  /// The init system the root uses:
  ///
  /// 0. on the live root, PID 1 (``running(exe:comm:)``): systemd, or sysvinit's (or
  ///    upstart's) `init` where an init script folder and an `rcN.d` folder exist → sysv,
  ///    whatever packages are installed (Debian keeps the systemd package when `sysvinit-core`
  ///    replaces it); any other PID 1 (a container's) decides nothing;
  /// 1. `/run/systemd/system` is a folder (systemd is running: the live root) → systemd;
  /// 2. `/sbin/init` or `/usr/sbin/init` is a link to systemd → systemd;
  /// 3. `/etc/systemd/system` exists and systemd is installed (`/lib/systemd/systemd`
  ///    or `/usr/lib/systemd/systemd`) → systemd;
  /// 4. an init script folder and at least one `rcN.d` folder exist → sysv
  ///    (upstart hosts such as CentOS 6 start their services this way too).
  ///
  /// Another root (an image, a mounted disk) has no PID 1 of its own: rules 1–4 decide, so
  /// a sysvinit image that keeps the systemd package is taken for systemd.
  ///
  /// - Throws: ``ServiceConfigError/unknownInitSystem(root:)`` when none of these holds.
  public static func detect(root: HostRoot) throws(ServiceConfigError) -> InitSystem {
    let pid1 = root.isLive ? running(exe: root.linkText("/proc/1/exe"), comm: try? root.value("/proc/1/comm")) : nil
    return try detect(root: root, pid1: pid1)
  }

  /// ``detect(root:)`` with PID 1's init system given (`nil`: unknown, or not the live root).
  public static func detect(root: HostRoot, pid1: InitSystem?) throws(ServiceConfigError) -> InitSystem {
    if let pid1, pid1 == .systemd || hasSysVFolders(root) { return pid1 }
    if root.isDirectory("/run/systemd/system") { return .systemd }
    for initPath in ["/sbin/init", "/usr/sbin/init"] {
      if let text = root.linkText(initPath), text.hasSuffix("/systemd") || text == "systemd" { return .systemd }
    }
    if root.isDirectory("/etc/systemd/system"),
      root.status("/lib/systemd/systemd") != nil || root.status("/usr/lib/systemd/systemd") != nil
    {
      return .systemd
    }
    if hasSysVFolders(root) { return .sysv }
    throw .unknownInitSystem(root: root.path)
  }

  /// The init system PID 1 is, from the target of `/proc/1/exe` (`/usr/lib/systemd/systemd`,
  /// `/sbin/init`; a ` (deleted)` suffix after an upgrade ignored) or, when that cannot be
  /// read, `/proc/1/comm`: `systemd` → systemd, `init` → sysv; `nil` for anything else
  /// (a container's shell or supervisor), which says nothing about services at boot.
  public static func running(exe: String?, comm: String?) -> InitSystem? {
    let program = exe.map { text in
      let path = text.hasSuffix(" (deleted)") ? String(text.dropLast(" (deleted)".count)) : text
      return String(path.split(separator: "/").last ?? "")
    }
    switch program ?? comm {
    case "systemd": return .systemd
    case "init": return .sysv
    default: return nil
    }
  }

  /// Whether an init script folder and at least one `rcN.d` folder exist.
  private static func hasSysVFolders(_ root: HostRoot) -> Bool {
    SysVServices.initDirectory(root) != nil && (0...6).contains(where: { SysVServices.levelDirectory(root, $0) != nil })
  }
}
