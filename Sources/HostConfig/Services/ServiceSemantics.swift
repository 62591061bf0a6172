import RootFS

/// The distribution family whose tools define what enabling a service means under a root:
/// `update-rc.d` and Debian's systemd (split-usr search path), or `chkconfig` and RHEL's systemd.
public enum ServiceFamily: String, Sendable, Codable {
  /// Debian and its derivatives: `update-rc.d` for SysV scripts (`rcS.d` included),
  /// `systemd-sysv-install` syncing a unit's init script, `/lib/systemd/system` in link texts.
  case debian
  /// Red Hat and its derivatives (and any root without a marker): `chkconfig NAME on|off`,
  /// `/usr/lib/systemd/system` in link texts.
  case rhel
}

/// Which tool's semantics enabling and disabling services follow under one root: the init
/// system, the family, and what on disk told them apart. One value per root, computed once by
/// ``detect(root:initSystem:)``; shown in the plan as a note and in facts.
public struct ServiceSemantics: Sendable, Equatable {
  /// systemd or SysV.
  public var initSystem: InitSystem
  /// Debian or RHEL conventions.
  public var family: ServiceFamily
  /// What decided the family (`/etc/debian_version`), or why none did.
  public var evidence: String

  /// Creates semantics from known parts (tests, and roots whose family is given).
  public init(initSystem: InitSystem, family: ServiceFamily, evidence: String) {
    self.initSystem = initSystem
    self.family = family
    self.evidence = evidence
  }

  /// The tool whose behaviour enabling follows: `systemctl`, `update-rc.d` or `chkconfig`.
  public var tool: String {
    switch (initSystem, family) {
    case (.systemd, _): "systemctl"
    case (.sysv, .debian): "update-rc.d"
    case (.sysv, .rhel): "chkconfig"
    }
  }

  /// One sentence for people: `services follow systemctl (systemd, Debian family: /etc/debian_version)`.
  public var summary: String {
    let family = self.family == .debian ? "Debian" : "RHEL"
    let sync =
      initSystem == .systemd && self.family == .debian
      ? "; units with an init script of the same name also get update-rc.d's links (systemd-sysv-install)" : ""
    return "services follow \(tool) (\(initSystem.rawValue), \(family) family: \(evidence))\(sync)"
  }

  /// The semantics of `root`, whose init system is `initSystem`:
  ///
  /// 1. Debian when `/etc/debian_version` is a file, `/usr/sbin/update-rc.d` exists or `/etc/rcS.d` is a folder;
  /// 2. RHEL when `/etc/redhat-release` or `/etc/system-release` is a file, `chkconfig` exists
  ///    (`/sbin`, `/usr/sbin`) or `/etc/rc.d/init.d` is a real folder;
  /// 3. marks of both: the tool present decides (`update-rc.d` or `chkconfig`);
  /// 4. no mark: RHEL's conventions (chkconfig), saying so in ``evidence``.
  ///
  /// - Throws: ``ServiceConfigError/ambiguousFamily(found:)`` when both families are marked and
  ///   both tools, or neither, are present.
  public static func detect(root: HostRoot, initSystem: InitSystem) throws(ServiceConfigError) -> ServiceSemantics {
    let updateRcD = root.exists("/usr/sbin/update-rc.d") ? "/usr/sbin/update-rc.d" : nil
    let chkconfig = ["/sbin/chkconfig", "/usr/sbin/chkconfig"].first(where: root.exists)
    var debian = ["/etc/debian_version"].filter(root.isFile)
    if let updateRcD { debian.append(updateRcD) }
    if root.isDirectory("/etc/rcS.d") { debian.append("/etc/rcS.d") }
    var rhel = ["/etc/redhat-release", "/etc/system-release"].filter(root.isFile)
    if let chkconfig { rhel.append(chkconfig) }
    if root.isDirectory("/etc/rc.d/init.d"), root.linkText("/etc/rc.d/init.d") == nil {
      rhel.append("/etc/rc.d/init.d")
    }
    func make(_ family: ServiceFamily, _ evidence: [String]) -> ServiceSemantics {
      ServiceSemantics(initSystem: initSystem, family: family, evidence: evidence.joined(separator: ", "))
    }
    switch (debian.isEmpty, rhel.isEmpty) {
    case (false, true): return make(.debian, debian)
    case (true, false): return make(.rhel, rhel)
    case (true, true):
      let assumed =
        initSystem == .systemd
        ? "RHEL's unit search path assumed (/usr/lib/systemd/system first)" : "chkconfig's conventions assumed"
      return ServiceSemantics(initSystem: initSystem, family: .rhel, evidence: "no family marker found, " + assumed)
    case (false, false):
      switch (updateRcD, chkconfig) {
      case (let tool?, nil): return make(.debian, [tool])
      case (nil, let tool?): return make(.rhel, [tool])
      default: throw .ambiguousFamily(found: debian + rhel)
      }
    }
  }
}
