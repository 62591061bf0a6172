import RootFS

/// The services of a root as its init system sees them: which exist and which start at
/// boot. What facts report and what the service editor plans from, read one way.
///
/// Reading only; not for starting or stopping (the applier does that through ``ServiceManager``).
public struct ServiceReader: Sendable {
  /// The root read.
  public let root: HostRoot
  /// The init system whose conventions this reader follows.
  public var initSystem: InitSystem { semantics.initSystem }
  /// Which tool's semantics (systemctl, update-rc.d, chkconfig) this reader follows.
  public let semantics: ServiceSemantics

  /// The services of `root` for `initSystem`, or the one ``InitSystem/detect(root:)`` finds.
  ///
  /// The family (Debian, RHEL) is found by ``ServiceSemantics/detect(root:initSystem:)``.
  /// - Throws: ``ServiceConfigError`` when the init system or the family cannot be told, or
  ///   SysV is asked for on a root without an init script folder.
  public init(root: HostRoot, initSystem: InitSystem? = nil) throws(ServiceConfigError) {
    self.root = root
    let system: InitSystem
    if let initSystem {
      system = initSystem
    } else {
      system = try InitSystem.detect(root: root)
    }
    semantics = try ServiceSemantics.detect(root: root, initSystem: system)
    if system == .sysv { _ = try SysVServices(root: root) }
  }

  /// The systemd units of the root, read as its family's systemctl reads them.
  public var systemd: SystemdServices { SystemdServices(root: root, family: semantics.family) }

  /// The service's enablement as the init system's own tool would report it; an unknown
  /// service has `exists == false`.
  /// - Throws: ``ServiceConfigError`` for an invalid name or a unit file that cannot be parsed.
  public func state(_ name: String) throws(ServiceConfigError) -> ServiceState {
    try Self.check(name)
    switch initSystem {
    case .sysv where semantics.family == .debian: return UpdateRcDScripts(root: root).state(name)
    case .sysv: return try SysVServices(root: root).state(name)
    case .systemd:
      if let script = sysvOnlyScript(name) { return UpdateRcDScripts(root: root).state(script) }
      return try systemd.state(name)
    }
  }

  /// On a Debian root booted by systemd, the init script that `name` stands for when no unit
  /// file does: systemctl takes such a "non-native service" to systemd-sysv-install, which
  /// runs update-rc.d, so its enablement is the script's rc links. `nil` elsewhere, and when a
  /// unit file (or a mask) of that name exists.
  public func sysvOnlyScript(_ name: String) -> String? {
    guard initSystem == .systemd, semantics.family == .debian else { return nil }
    let unit = UnitName(SystemdServices.unitName(name))
    guard unit.suffix == ".service", systemd.find(unit.unit) == nil else { return nil }
    return UpdateRcDScripts(root: root).header(unit.base) != nil ? unit.base : nil
  }

  /// Refuses names that could leave the init script or unit folder, or that no init system uses.
  public static func check(_ name: String) throws(ServiceConfigError) {
    let problem: String?
    if name.isEmpty {
      problem = "it is empty"
    } else if name.contains("/") {
      problem = "it contains /"
    } else if name.contains("..") || name == "." {
      problem = "it contains .."
    } else if name.hasPrefix("-") {
      problem = "it starts with -"
    } else if name.filter({ $0 == "@" }).count > 1 {
      problem = "it contains @ more than once"
    } else if name.hasPrefix("@") {
      problem = "it starts with @"
    } else if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "_.:+-@\\".contains($0))) })
    {
      problem = "it contains \(String(reflecting: String(bad)))"
    } else {
      problem = nil
    }
    if let problem { throw .invalidName(name, reason: problem) }
  }

  /// The service's state, refused when it does not exist.
  /// - Throws: ``ServiceConfigError/unknownService(_:detail:)`` and the errors of ``state(_:)``.
  public func existing(_ name: String) throws(ServiceConfigError) -> ServiceState {
    let state = try state(name)
    guard state.exists else { throw .unknownService(name, detail: state.detail) }
    return state
  }
}
