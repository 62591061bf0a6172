import RootFS

/// The family of distributions a root belongs to, where a tool's behaviour differs between
/// them (Debian's procps init script runs `sysctl --system`; RHEL 6's boot scripts read
/// `/etc/sysctl.conf` and `/etc/sysctl.d`).
///
/// Only markers on disk decide; nothing is run. Not for telling releases apart.
public enum DistributionFamily: String, Sendable, Equatable {
  /// Debian and its derivatives (update-rc.d, procps's init script).
  case debian
  /// Red Hat Enterprise Linux and its rebuilds (chkconfig, initscripts).
  case rhel

  /// What ``detect(_:)`` looks at.
  public static let markers =
    "Debian: /etc/debian_version, /usr/sbin/update-rc.d, /etc/rcS.d; "
    + "RHEL: /etc/redhat-release, /etc/system-release, chkconfig, /etc/rc.d/init.d"

  /// The family of `root`: Debian when one of its markers is there (`/etc/debian_version`, the
  /// `update-rc.d` tool, the `/etc/rcS.d` folder), RHEL when one of RHEL's is (a release file,
  /// the `chkconfig` tool, the real folder `/etc/rc.d/init.d`, the CentOS 6 seed's only marker).
  /// When both families' markers are there, the tool that is present decides; `nil` when
  /// nothing or both tools are found.
  public static func detect(_ root: HostRoot) -> DistributionFamily? {
    let updateRcD = root.exists("/usr/sbin/update-rc.d")
    let chkconfig = root.exists("/sbin/chkconfig") || root.exists("/usr/sbin/chkconfig")
    let debian = root.isFile("/etc/debian_version") || updateRcD || root.isDirectory("/etc/rcS.d")
    let rhel =
      root.isFile("/etc/redhat-release") || root.isFile("/etc/system-release") || chkconfig
      || root.status("/etc/rc.d/init.d", followingLinks: false)?.kind == .directory
    switch (debian, rhel) {
    case (true, false): return .debian
    case (false, true): return .rhel
    case (true, true) where updateRcD != chkconfig: return updateRcD ? .debian : .rhel
    default: return nil
    }
  }
}
