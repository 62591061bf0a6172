import HostConfig
import RootFS

/// Plans enabling and disabling services at boot under a root, as `chkconfig NAME on|off`
/// (SysV) or `systemctl enable|disable NAME` (systemd) would do it.
///
/// Enablement is a set of symlinks: ``enablementChanges(_:enabled:)`` computes them and
/// ``linksToChange(_:)`` checks, just before they are made, which of them are still to make;
/// the applier makes them. Nothing here writes, starts or stops: reading goes through
/// ``ServiceReader`` (shared with the host facts), running services through the applier.
/// Not for runlevel changes, unit masking or unmasking.
public struct ServiceEditor: Sendable {
  /// The services as the root's init system sees them.
  public let services: ServiceReader

  /// The root read.
  public var root: HostRoot { services.root }
  /// The init system whose conventions this editor follows.
  public var initSystem: InitSystem { services.initSystem }

  /// Opens the services of `root` for `initSystem`, or the one ``InitSystem/detect(root:)`` finds.
  ///
  /// - Throws: ``EditorError`` when the init system cannot be told, or SysV is asked for on a
  ///   root without an init script folder.
  public init(root: HostRoot, initSystem: InitSystem? = nil) throws(EditorError) {
    services = try Self.reading { () throws(ServiceConfigError) in
      try ServiceReader(root: root, initSystem: initSystem)
    }
  }

  /// The service's enablement as the init system's own tool would report it; an unknown
  /// service has `exists == false`.
  /// - Throws: ``EditorError`` for an invalid name or a unit file that cannot be parsed.
  public func state(_ name: String) throws(EditorError) -> ServiceState {
    try Self.reading { () throws(ServiceConfigError) in try services.state(name) }
  }

  /// Which tool's semantics this editor follows (systemctl, update-rc.d, chkconfig), and why.
  public var semantics: ServiceSemantics { services.semantics }

  /// Exactly the links `chkconfig NAME on|off`, `update-rc.d NAME defaults` + `enable|disable`
  /// or `systemctl enable|disable NAME` would create and remove, removals first; `[]` when the
  /// service is already so. See ``enablement(_:enabled:)``, which also gives the tool's warnings.
  public func enablementChanges(_ name: String, enabled: Bool) throws(EditorError) -> [LinkChange] {
    try enablement(name, enabled: enabled).links
  }

  /// The links of ``enablementChanges(_:enabled:)`` and the warnings the tool would print.
  ///
  /// SysV, RHEL: `S<start>NAME` in the script's levels and `K<stop>NAME` in the others when
  /// enabling, `K<stop>NAME` in every level when disabling (priorities from `# chkconfig:`).
  /// SysV, Debian: update-rc.d's links (`rcS.d` included), numbers kept, then the
  /// `insserv NAME` it runs where insserv is configured (``ServiceEnablement/programs``).
  /// systemd: the `[Install]` section's `WantedBy=`, `RequiredBy=`, `UpheldBy=`, `Alias=`
  /// (an empty assignment resets), followed through `Also=` (a missing unit is a warning),
  /// templates through `DefaultInstance=`; a masked unit is left alone when disabling; on a
  /// Debian root, the unit's own init script's update-rc.d links and insserv call too, and for
  /// an init script without a unit, update-rc.d's alone (as systemd-sysv-install runs it).
  /// - Throws: ``EditorError`` for an invalid name, an unknown service, a masked unit to enable,
  ///   or a unit without `[Install]` section to enable.
  public func enablement(_ name: String, enabled: Bool) throws(EditorError) -> ServiceEnablement {
    try Self.reading { () throws(ServiceConfigError) in try ServiceReader.check(name) }
    var result = ServiceEnablement()
    switch (initSystem, semantics.family) {
    case (.sysv, .debian): result = try UpdateRcDScripts(root: root).enablement(name, enabled: enabled)
    case (.sysv, .rhel):
      let sysv = try Self.reading { () throws(ServiceConfigError) in try SysVServices(root: root) }
      result.links = try sysv.changes(name, enabled: enabled)
    case (.systemd, _):
      if let script = services.sysvOnlyScript(name) {
        // A script without a unit: systemctl hands it to systemd-sysv-install, i.e. update-rc.d.
        result = try UpdateRcDScripts(root: root).enablement(script, enabled: enabled)
      } else {
        result = try services.systemd.changes(name, enabled: enabled)
      }
    }
    result.links = result.links.filter { $0.kind == .remove } + result.links.filter { $0.kind == .create }
    return result
  }

  /// What enables `name` once this plan has installed its init script, where that is known
  /// before: on a Debian SysV root with insserv, the `insserv NAME` that `update-rc.d NAME
  /// defaults` runs (it makes the links from the script's LSB block). `nil` elsewhere: the
  /// links are computed once the script or unit is there (``enablementChanges(_:enabled:)``).
  public func enablementOnceInstalled(_ name: String) -> ServiceEnablement? {
    guard initSystem == .sysv, semantics.family == .debian, let insserv = UpdateRcDScripts(root: root).insserv
    else { return nil }
    var result = ServiceEnablement()
    result.programs = [HostCommand(insserv.command(name), role: .afterWrite)]
    return result
  }

  /// The units `systemctl enable|disable NAME` acts on (the unit and its `Also=` closure, own
  /// names) and the `Also=` units not installed; SysV: the script alone.
  /// - Throws: ``EditorError`` when a unit file cannot be read or parsed.
  public func closure(_ name: String) throws(EditorError) -> (units: [String], missing: [String]) {
    guard initSystem == .systemd else { return ([name], []) }
    return try Self.reading { () throws(ServiceConfigError) in try services.systemd.alsoClosure(name) }
  }

  /// The changes of `changes` still to make, checked against the root as it is now, for the
  /// applier to make in order (nothing else, parent folders of new links excepted).
  ///
  /// Every path must lie under `/etc`; a link to create that already exists with the same
  /// text or leading to the same file (`/usr/lib/...` for `/lib/...` on a merged-usr root),
  /// or one to remove that is already gone, is left out, so applying twice is applying once.
  /// - Throws: ``EditorError`` when a path is outside `/etc`, when something else stands where
  ///   a link is to be created, or when a link to remove is not a link or points elsewhere;
  ///   none of the changes is to be made then.
  public func linksToChange(_ changes: [LinkChange]) throws(EditorError) -> [LinkChange] {
    var work: [LinkChange] = []
    for change in changes {
      let parts = change.path.split(separator: "/", omittingEmptySubsequences: false)
      guard change.path.hasPrefix("/etc/"), !parts.contains(".."), !parts.contains("."), !change.target.isEmpty
      else {
        throw EditorError(file: change.path, message: "not an enablement link under /etc: left alone")
      }
      let existing = root.linkText(change.path)
      switch change.kind {
      case .create:
        if existing == change.target { continue }
        if existing != nil, change.target.hasPrefix("/"), root.resolve(change.path) == root.resolve(change.target) {
          continue
        }
        if existing != nil || root.exists(change.path) {
          throw EditorError(
            file: change.path, message: "already exists and is not a link to \(change.target): left alone")
        }
      case .remove:
        if !root.exists(change.path) { continue }
        guard existing == change.target else {
          throw EditorError(
            file: change.path,
            message: existing.map { "points to \($0), not \(change.target): left alone" }
              ?? "is not a symlink: left alone")
        }
      }
      work.append(change)
    }
    return work
  }

  /// Runs `body`, which reads services, giving its error the editor's form.
  private static func reading<T>(_ body: () throws(ServiceConfigError) -> T) throws(EditorError) -> T {
    do {
      return try body()
    } catch {
      throw EditorError(error)
    }
  }
}
