import RootFS

/// The services of a root as its init system sees them: which exist and which start at
/// boot. What facts report and what the service editor plans from, read one way.
///
/// Reading only; not for starting or stopping (the applier does that through ``ServiceManager``).
public struct ServiceReader: Sendable {
  /// The root read.
  public let root: HostRoot
  /// The init system whose conventions this reader follows.
  public let initSystem: InitSystem

  /// The services of `root` for `initSystem`, or the one ``InitSystem/detect(root:)`` finds.
  ///
  /// - Throws: ``ServiceConfigError`` when the init system cannot be told, or SysV is asked
  ///   for on a root without an init script folder.
  public init(root: HostRoot, initSystem: InitSystem? = nil) throws(ServiceConfigError) {
    self.root = root
    if let initSystem {
      self.initSystem = initSystem
    } else {
      self.initSystem = try InitSystem.detect(root: root)
    }
    if self.initSystem == .sysv { _ = try SysVServices(root: root) }
  }

  /// The service's enablement as the init system's own tool would report it; an unknown
  /// service has `exists == false`.
  /// - Throws: ``ServiceConfigError`` for an invalid name or a unit file that cannot be parsed.
  public func state(_ name: String) throws(ServiceConfigError) -> ServiceState {
    try Self.check(name)
    switch initSystem {
    case .sysv: return try SysVServices(root: root).state(name)
    case .systemd: return try SystemdServices(root: root).state(name)
    }
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
    } else if name.contains("@") {
      problem = "template units (name@instance) are not supported"
    } else if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "_.:+-".contains($0))) }) {
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
