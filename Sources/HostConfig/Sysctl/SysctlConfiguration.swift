import Augeas
import RootFS

/// The sysctl files of a root in the order its boot-time program reads them (``SysctlSemantics``),
/// each parsed with the shipped Sysctl lens, and the value each key gets at boot.
///
/// The one reader of sysctl files: the editor plans with it and checks its plan with it. Never
/// writes; not for the running kernel's values (those are under `/proc/sys`).
public struct SysctlConfiguration: Sendable {
  /// The drop-in folders, highest priority first (sysctl.d(5), sysctl(8)).
  public static let directories = [
    "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d",
  ]
  /// The classic file.
  public static let mainFile = "/etc/sysctl.conf"
  /// The lens of every sysctl file.
  public static let lens = "Sysctl.lns"
  /// Names RHEL 6's boot scripts skip in `/etc/sysctl.d` (`is_ignored_file` in initscripts).
  static let rhelIgnoredSuffixes = ["~", ".bak", ".orig", ".rpmnew", ".rpmorig", ".rpmsave"]

  /// Whose rules apply.
  public let semantics: SysctlSemantics
  /// The files read, in order; a file read at two places (a link to `/etc/sysctl.conf` with
  /// procps) is listed at its last one, which is the one that counts.
  public let files: [SysctlFile]
  /// Each file's text as read (or as planned), by ``SysctlFile/source``.
  public let texts: [String: String]

  /// Reads the sysctl files of `root` as `semantics` does. `planned` gives texts that replace
  /// files' texts (by the path read, links resolved), and may name new files under
  /// `/etc/sysctl.d`, which then join the order: how an editor checks what it plans.
  ///
  /// - Throws: ``ConfigFileError`` naming the file, line and column of a text that is not UTF-8
  ///   or that the Sysctl lens does not accept.
  public init(
    root: HostRoot, semantics: SysctlSemantics, planned: [String: String] = [:]
  ) throws(ConfigFileError) {
    self.semantics = semantics
    var texts: [String: String] = [:]
    var files: [SysctlFile] = []
    let tree: AugeasTree
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw ConfigFileError(error)
    }
    for path in Self.readOrder(root, semantics, adding: Array(planned.keys)) {
      let resolved = planned[path] == nil ? (root.resolve(path) ?? path) : path
      guard resolved != "/dev/null" else {
        files.append(SysctlFile(path: path, source: nil, lines: []))
        continue
      }
      let text: String
      if let plannedText = planned[resolved] {
        text = plannedText
      } else {
        do {
          text = try root.text(resolved) ?? ""
        } catch {
          throw ConfigFileError(error, reading: resolved)
        }
      }
      texts[resolved] = text
      files.removeAll { $0.source == resolved }
      files.append(SysctlFile(path: path, source: resolved, lines: try Self.lines(of: text, file: resolved, tree)))
    }
    self.files = files
    self.texts = texts
  }

  /// The lines of `text` that are not comments or blank, parsed with the Sysctl lens in `tree`.
  static func lines(of text: String, file: String, _ tree: AugeasTree) throws(ConfigFileError) -> [SysctlLine] {
    let node = "/sysctl"
    do {
      try tree.parseText(text, lens: lens, into: node)
      defer { _ = try? tree.remove(node) }
      var lines: [SysctlLine] = []
      for child in try tree.children(of: node) where !child.label.hasPrefix("#") {
        lines.append(SysctlLine(label: child.label, value: child.value, entry: lines.count))
      }
      return lines
    } catch {
      throw ConfigFileError(text: error, file: file)
    }
  }

  /// The paths `semantics` reads under `root`, in order, links not resolved; `adding` names
  /// files that do not exist yet (new files under `/etc/sysctl.d`, `/etc/sysctl.conf`).
  public static func readOrder(_ root: HostRoot, _ semantics: SysctlSemantics, adding: [String]) -> [String] {
    let precedes = { (a: String, b: String) in Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
    let name = { (path: String) in String(path.split(separator: "/").last ?? "") }
    let folder = { (path: String) in "/" + path.split(separator: "/").dropLast().joined(separator: "/") }
    let mainFile = root.exists(Self.mainFile) || adding.contains(Self.mainFile) ? [Self.mainFile] : []
    switch semantics {
    case .rhel6:
      let directory = directories[0]
      var names = Set(
        root.listIfPresent(directory).filter { name in
          !rhelIgnoredSuffixes.contains { name.hasSuffix($0) } && !root.isDirectory(directory + "/" + name)
        })
      for path in adding where folder(path) == directory { names.insert(name(path)) }
      return mainFile + names.sorted(by: precedes).map { directory + "/" + $0 }
    case .systemd, .procps:
      var byName: [String: String] = [:]
      for path in adding where folder(path) == directories[0] { byName[name(path)] = path }
      for directory in directories {
        for name in root.listIfPresent(directory) where name.hasSuffix(".conf") && byName[name] == nil {
          let path = directory + "/" + name
          if !root.isDirectory(path) { byName[name] = path }
        }
      }
      let order = byName.keys.sorted(by: precedes).map { byName[$0]! }
      return semantics == .procps ? order + mainFile : order
    }
  }

  /// The value `key` gets at boot, with the line that gives it; `nil` when no line does.
  ///
  /// The last explicit line of `key` in the order decides (under systemd-sysctl an exclusion
  /// line `-key` as well, which then leaves the key alone); without one, the last glob line
  /// that matches `key` (an explicit line beats any glob, wherever it stands), unless an
  /// exclusion line names `key`.
  public func effective(_ key: SysctlKey) -> SysctlSetting? {
    var explicit: SysctlSetting?
    var assignment: SysctlSetting?
    var excluded = false
    var globs: [SysctlKey: (setting: SysctlSetting?, order: Int)] = [:]
    var order = 0
    for file in files {
      for line in file.lines where semantics != .rhel6 || !line.hasDash {
        let setting = line.value.map { SysctlSetting(value: $0, file: file, line: line) }
        if line.key.isGlob {
          // RHEL 6's procps has no globs; systemd-sysctl keeps a glob's place when a later line repeats its value.
          guard semantics != .rhel6, line.kind != .ignored, globs[line.key]?.setting?.value != line.value else {
            continue
          }
          globs[line.key] = (setting, order)
          order += 1
        } else if line.key == key {
          switch line.kind {
          case .assignment:
            explicit = setting
            assignment = setting
          case .exclusion:
            explicit = nil
            excluded = true
          case .ignored: continue
          }
        }
      }
    }
    switch semantics {
    case .systemd:
      if excluded || explicit != nil { return explicit }
    case .procps, .rhel6:
      if let assignment { return assignment }
      if excluded { return nil }
    }
    return globs.filter { $0.key.matches(key) && $0.value.setting != nil }.max { $0.value.order < $1.value.order }?
      .value.setting
  }

  /// Every file with a line naming exactly `key` (an assignment or an exclusion), by index in
  /// ``files``: the lines a new assignment must be read after.
  public func filesNaming(_ key: SysctlKey) -> [Int] {
    files.indices.filter { index in
      files[index].lines.contains { $0.key == key && $0.kind != .ignored && (semantics != .rhel6 || !$0.hasDash) }
    }
  }
}

/// The line that gives a key its value at boot.
public struct SysctlSetting: Sendable, Equatable {
  /// The value written.
  public var value: String
  /// The file of the line.
  public var file: SysctlFile
  /// The line: an explicit assignment of the key, or a glob that matches it.
  public var line: SysctlLine
}
