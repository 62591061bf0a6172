import RootFS

/// SysV init scripts and their `rcN.d` links under a root, as chkconfig reads them.
///
/// Reading only: the links `chkconfig NAME on|off` would make are planned by the service editor.
public struct SysVServices: Sendable {
  /// What a script's header says about its runlevels and priorities.
  public struct Header: Equatable, Sendable {
    /// The levels `chkconfig NAME on` starts it in.
    public var levels: [Int]
    /// The start priority (`S84ksm`).
    public var start: Int
    /// The stop priority (`K16ksm`).
    public var stop: Int
  }

  /// The root read.
  public let root: HostRoot
  /// The folder of the init scripts, from the root.
  public let initDirectory: String
  /// The `rcN.d` folder of each level 0 to 6 (see ``levelDirectory(_:)``), found once.
  private let levelDirectories: [String]

  /// The init scripts of `root`.
  /// - Throws: ``ServiceConfigError/noInitScriptFolder(root:)``.
  public init(root: HostRoot) throws(ServiceConfigError) {
    self.root = root
    guard let directory = Self.initDirectory(root) else { throw .noInitScriptFolder(root: root.path) }
    initDirectory = directory
    levelDirectories = (0...6).map { level in
      Self.levelDirectory(root, level)
        ?? (directory.hasPrefix("/etc/rc.d/") ? "/etc/rc.d/rc\(level).d" : "/etc/rc\(level).d")
    }
  }

  /// `/etc/rc.d/init.d` when it is a folder, else `/etc/init.d`, else `nil`.
  static func initDirectory(_ root: HostRoot) -> String? {
    ["/etc/rc.d/init.d", "/etc/init.d"].first { root.isDirectory($0) }
  }

  /// The existing `rcN.d` folder of `level`, `/etc/rc.d/rcN.d` first, symlinks resolved.
  static func levelDirectory(_ root: HostRoot, _ level: Int) -> String? {
    ["/etc/rc.d/rc\(level).d", "/etc/rc\(level).d"].first { root.isDirectory($0) }.flatMap(root.resolve)
  }

  /// The `rcN.d` folder of `level` (0 to 6), where a new one would go when it is missing.
  public func levelDirectory(_ level: Int) -> String { levelDirectories[level] }

  /// The init script of `name`, from the root.
  public func scriptPath(_ name: String) -> String { initDirectory + "/" + name }

  /// The link text chkconfig and update-rc.d write: `../init.d/NAME`.
  public func linkText(_ name: String) -> String { "../init.d/" + name }

  /// The header of the script `name`, or `nil` when there is no such script (or it cannot be read).
  public func header(_ name: String) -> Header? {
    guard root.isFile(scriptPath(name)), let bytes = try? root.read(scriptPath(name)) else { return nil }
    return Self.header(of: String(decoding: bytes, as: UTF8.self))
  }

  /// Reads `# chkconfig: <levels> <start> <stop>` (`-` for no levels of its own), else the LSB
  /// `Default-Start:`; levels default to 2345 and priorities (without a chkconfig line) to 50.
  static func header(of text: String) -> Header {
    var chkconfig: (levels: String, start: Int, stop: Int)?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      guard line.hasPrefix("#") else { continue }
      let body = line.dropFirst().drop { $0 == " " || $0 == "\t" }
      if chkconfig == nil, body.hasPrefix("chkconfig:") {
        let fields = body.dropFirst("chkconfig:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
        if fields.count == 3, let start = Int(fields[1]), let stop = Int(fields[2]) {
          chkconfig = (String(fields[0]), start, stop)
        }
      }
    }
    let lsbLevels = LSBHeader(text).start.map { $0.compactMap { Int($0) }.filter { (0...6).contains($0) } }
    let defaultLevels = [2, 3, 4, 5]
    guard let chkconfig else { return Header(levels: lsbLevels ?? defaultLevels, start: 50, stop: 50) }
    let own = chkconfig.levels.compactMap { $0.wholeNumberValue }.filter { (0...6).contains($0) }
    let levels = chkconfig.levels == "-" || own.isEmpty ? (lsbLevels ?? defaultLevels) : own
    return Header(levels: Array(Set(levels)).sorted(), start: chkconfig.start, stop: chkconfig.stop)
  }

  /// The links of `name` in the folder of `level` (`S84ksm`, `K16ksm`): file name and link text.
  public func links(_ name: String, level: Int) -> [(name: String, text: String)] {
    Self.links(name, in: levelDirectory(level), root: root)
  }

  /// The links of the script `name` in `directory` (`S84ksm`, `K01ksm`): file name and link text.
  static func links(_ name: String, in directory: String, root: HostRoot) -> [(name: String, text: String)] {
    root.listIfPresent(directory, includingHidden: true).sorted().compactMap { entry in
      guard let first = entry.first, first == "S" || first == "K" else { return nil }
      let rest = entry.dropFirst()
      let digits = rest.prefix(while: \.isNumber)
      guard !digits.isEmpty, rest.dropFirst(digits.count) == name[...],
        let text = root.linkText(directory + "/" + entry)
      else { return nil }
      return (entry, text)
    }
  }

  /// The service's enablement, as `chkconfig --list NAME` shows it.
  public func state(_ name: String) -> ServiceState {
    guard let header = header(name) else {
      return ServiceState(name: name, exists: false, enabled: false, masked: false, detail: "\(name) not found")
    }
    var on: Set<Int> = []
    for level in 0...6 where links(name, level: level).contains(where: { $0.name.hasPrefix("S") }) {
      on.insert(level)
    }
    let detail = ([name] + (0...6).map { "\($0):\(on.contains($0) ? "on" : "off")" }).joined(separator: " ")
    return ServiceState(
      name: name, exists: true, enabled: header.levels.allSatisfy(on.contains), masked: false, detail: detail)
  }
}
