import RootFS

/// Debian's SysV init scripts and their `rc?.d` links (`rcS.d` included) under a root, as
/// update-rc.d and systemd-sysv-install read them.
///
/// Reading only: the links `update-rc.d NAME defaults` followed by `enable|disable` leave are
/// planned by the service editor.
public struct UpdateRcDScripts: Sendable {
  /// The root read.
  public let root: HostRoot
  /// Debian's init script folder.
  public static let initDirectory = "/etc/init.d"

  /// The scripts of `root`.
  public init(root: HostRoot) {
    self.root = root
  }

  /// The folder of `level` (`S`, `0`…`6`): `/etc/rcS.d`, `/etc/rc2.d`.
  public func levelDirectory(_ level: String) -> String { "/etc/rc\(level).d" }

  /// The script of `name`.
  public func scriptPath(_ name: String) -> String { Self.initDirectory + "/" + name }

  /// The link text update-rc.d writes: `../init.d/NAME`.
  public func linkText(_ name: String) -> String { "../init.d/" + name }

  /// The LSB header of the script `name`, `nil` when there is no such script.
  public func header(_ name: String) -> LSBHeader? {
    guard root.isFile(scriptPath(name)), let bytes = try? root.read(scriptPath(name)) else { return nil }
    return LSBHeader(String(decoding: bytes, as: UTF8.self))
  }

  /// The links of `name` in the folder of `level`.
  public func links(_ name: String, level: String) -> [(name: String, text: String)] {
    SysVServices.links(name, in: levelDirectory(level), root: root)
  }

  /// insserv, when update-rc.d here orders scripts with it (then its sequence numbers are
  /// insserv's, which virthost does not reproduce, and it runs it after renaming links).
  public var insserv: Insserv? { Insserv(root: root) }

  /// Why the script `name`, started by its links, does not start at boot: on a root that
  /// boots in insserv's order (``Insserv/ordersBoot``), a level among `Default-Start` ∩ {S, 2–5}
  /// whose `S` link exists but whose `.depend.boot`/`.depend.start` does not list `name`
  /// (update-rc.d runs insserv after renaming; renaming alone leaves the file behind).
  /// `nil` when it does start, or when insserv is not configured (nothing to compare with).
  public func sequenceProblem(_ name: String) -> String? {
    guard let insserv, insserv.ordersBoot, let header = header(name) else { return nil }
    var missing: [String] = []
    for level in header.start ?? [] where LSBHeader.toggled.contains(level) {
      guard links(name, level: level).contains(where: { $0.name.hasPrefix("S") }) else { continue }
      let file = Insserv.dependFile(level: level)
      if !missing.contains(file), insserv.targets(file)?.contains(name) != true { missing.append(file) }
    }
    guard !missing.isEmpty else { return nil }
    return "\(missing.joined(separator: " and ")) \(missing.count == 1 ? "does" : "do") not list \(name), "
      + "so sysv-rc's startpar does not start it at boot (pending insserv)"
  }

  /// The script's enablement: enabled when an `S` link is in each of its `Default-Start`
  /// levels that update-rc.d toggles (`S`, 2–5) and, where sysv-rc boots in insserv's order,
  /// insserv's `.depend.*` files list it (``sequenceProblem(_:)``); the detail lists every
  /// level with a link (`networking S:on 0:off 6:off`), then what keeps it from starting.
  public func state(_ name: String) -> ServiceState {
    guard let header = header(name) else {
      return ServiceState(name: name, exists: false, enabled: false, masked: false, detail: "\(name) not found")
    }
    var words = [name]
    var on: Set<String> = []
    for level in LSBHeader.levels {
      let links = links(name, level: level)
      guard !links.isEmpty else { continue }
      let started = links.contains { $0.name.hasPrefix("S") }
      if started { on.insert(level) }
      words.append("\(level):\(started ? "on" : "off")")
    }
    let toggled = (header.start ?? []).filter(LSBHeader.toggled.contains)
    let linked = !toggled.isEmpty && toggled.allSatisfy(on.contains)
    let problem = linked ? sequenceProblem(name) : nil
    var detail = words.count == 1 ? "\(name) has no rc links" : words.joined(separator: " ")
    if let problem { detail += "; " + problem }
    return ServiceState(name: name, exists: true, enabled: linked && problem == nil, masked: false, detail: detail)
  }
}
