import RootFS

/// Which program applies the sysctl files of a root at boot, and so in which order they are
/// read and how an assignment, a glob and an exclusion line count.
///
/// One value per root, computed by ``detect(_:)``; the reader, the editor and the plan use it.
public enum SysctlSemantics: String, Sendable, Equatable, CaseIterable {
  /// `systemd-sysctl` (sysctl.d(5)): the `*.conf` files of `/etc/sysctl.d`, `/run/sysctl.d`,
  /// `/usr/local/lib/sysctl.d`, `/usr/lib/sysctl.d` and `/lib/sysctl.d` by name, a name in an
  /// earlier folder hiding the same name in later ones; `/etc/sysctl.conf` only through a link
  /// in one of these folders. An exclusion line `-KEY` also cancels an earlier assignment of KEY.
  case systemd
  /// procps's `sysctl --system`, which Debian's `/etc/init.d/procps` runs on a SysV host: the
  /// same folders and order, then `/etc/sysctl.conf` last. An exclusion line only keeps globs off.
  case procps
  /// RHEL 6's boot scripts (`apply_sysctl` in initscripts): `sysctl -p /etc/sysctl.conf`, then
  /// `sysctl -p` on each file of `/etc/sysctl.d` by name. Their procps knows no globs or
  /// exclusion lines; nothing under `/run`, `/usr/lib` or `/lib` is read.
  case rhel6

  /// The program, in words, for plans and errors.
  public var tool: String {
    switch self {
    case .systemd: "systemd-sysctl"
    case .procps: "sysctl --system (procps)"
    case .rhel6: "RHEL 6 boot scripts (sysctl -p)"
    }
  }

  /// The semantics of `root`: systemd-sysctl on a systemd host; on a SysV host procps's
  /// `sysctl --system` (Debian) or RHEL 6's boot scripts (RHEL family, the CentOS 6 seed);
  /// `sysctl --system` when the init system or the family cannot be told (what an administrator
  /// runs by hand, and the order virthost used before it told them apart).
  public static func detect(_ root: HostRoot) -> SysctlSemantics {
    guard let initSystem = try? InitSystem.detect(root: root) else { return .procps }
    switch initSystem {
    case .systemd: return .systemd
    case .sysv: return DistributionFamily.detect(root) == .rhel ? .rhel6 : .procps
    }
  }
}
