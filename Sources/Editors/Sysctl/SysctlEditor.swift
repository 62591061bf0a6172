import Augeas
import HostConfig
import RootFS

/// Plans persistent kernel parameters (`kernel.numa_balancing = 1`) in the files the root's boot
/// program reads (``SysctlSemantics``: systemd-sysctl, procps's `sysctl --system`, RHEL 6's boot
/// scripts), and reads their live values under `proc/sys`.
///
/// Reading is ``SysctlConfiguration``'s (the same reader facts would use); this type decides
/// where a setting goes and plans the texts. It never plans a file outside `/etc`: a package's
/// file under `/usr/lib` or `/lib` is reverted by the next upgrade and `/run` is gone at reboot.
/// A setting goes, in this order of preference, to the line under `/etc` that gives the key its
/// value now; to ``defaultFile`` when that is read after every line naming the key; to
/// ``laterFile`` otherwise; else it is refused naming the file read later. Never a file of a
/// package's name (it would hide all of that file's other settings), unless asked by `file:`.
/// Nothing here writes: ``pendingChanges()`` gives the new texts, which the applier writes.
/// Not for applying values to the running kernel: the engine writes live values itself.
///
/// Not `Sendable`: it owns an `AugeasTree`.
public final class SysctlEditor {
  /// The drop-in virthost writes its settings to unless a file read after it names the key.
  public static let defaultFile = "/etc/sysctl.d/90-virthost.conf"
  /// The drop-in for keys a file read after ``defaultFile`` names: its name sorts after every
  /// numbered file.
  public static let laterFile = "/etc/sysctl.d/zz-virthost.conf"
  /// The classic file.
  public static let mainFile = SysctlConfiguration.mainFile
  static let header = "Kernel settings written by virthost (sysctl.d(5)); the last assignment of a key wins."

  /// The root read.
  public let root: HostRoot
  /// Whose rules the files follow on this root.
  public let semantics: SysctlSemantics
  /// The file asked for with `file:`, links resolved; `nil` when virthost chooses.
  public let file: String?
  /// The package file an asked-for `file:` of the same name started as a copy of.
  public let copiedFrom: String?
  /// The files and their lines as planned so far.
  public private(set) var configuration: SysctlConfiguration
  /// What each ``set(_:_:)`` decided, in order.
  public private(set) var placements: [SysctlPlacement] = []
  /// Each planned file's text on disk, `nil` for a new one, by path.
  private var originals: [String: String?] = [:]
  private var planned: [String: String] = [:]
  private let text: SysctlText

  /// Opens the sysctl files under `root`, read as `semantics` (detected from the root when
  /// `nil`). With `file`, every setting goes to that file; a name under `/etc/sysctl.d` that
  /// does not exist there but in a package folder starts as a copy of the package's file (it
  /// hides that file from then on).
  ///
  /// - Throws: ``EditorError`` when `file` is outside `/etc` or not read by this root's boot
  ///   program (on a systemd host, `/etc/sysctl.conf` without a link to it in `/etc/sysctl.d`),
  ///   or when a file cannot be read or parsed (with its line).
  public init(root: HostRoot, file: String? = nil, semantics: SysctlSemantics? = nil) throws(EditorError) {
    self.root = root
    let semantics = semantics ?? SysctlSemantics.detect(root)
    self.semantics = semantics
    text = try SysctlText()
    configuration = try SysctlConfiguration(root: root, semantics: semantics)
    guard let file else {
      self.file = nil
      copiedFrom = nil
      return
    }
    if let problem = Self.fileProblem(file, semantics, configuration) {
      throw EditorError(file: file, message: problem)
    }
    let resolved = root.resolve(file) ?? file
    guard resolved.hasPrefix("/etc/"), resolved != "/dev/null" else {
      throw EditorError(file: file, message: "is a link to \(resolved): virthost writes sysctl files only under /etc")
    }
    self.file = resolved
    let name = String(file.split(separator: "/").last!)
    let vendor = SysctlConfiguration.directories.dropFirst().map { $0 + "/" + name }.first { root.exists($0) }
    if semantics != .rhel6, !root.exists(file), let vendor,
      let vendorText = configuration.texts[root.resolve(vendor) ?? vendor]
    {
      copiedFrom = vendor
      try plan(vendorText, for: resolved)
    } else {
      copiedFrom = nil
    }
  }

  /// The files read, in order, links resolved (a link to `/dev/null` left out).
  public var files: [String] { configuration.files.compactMap(\.source) }

  /// The value `key` gets at boot from the planned files: its last explicit line, else the last
  /// glob that matches it (unless excluded); `nil` when none. `kernel/numa_balancing` is the same key.
  public func persistentValue(_ key: String) throws(EditorError) -> String? {
    configuration.effective(SysctlKey(key))?.value
  }

  /// The running kernel's value of `key`, from `proc/sys` under the root (`nil` when missing
  /// or for an invalid key); values of several fields keep their tabs.
  public func liveValue(_ key: String) -> String? {
    guard Self.keyProblem(key) == nil else { return nil }
    guard let bytes = try? root.read("/proc/sys/" + SysctlKey(key).path, limit: 1 << 20) else { return nil }
    let newline = UInt8(ascii: "\n")
    let end = bytes.lastIndex { $0 != newline }.map { $0 + 1 } ?? 0
    let start = bytes[..<end].firstIndex { $0 != newline } ?? end
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// Makes `value` the boot value of `key` in the planned texts (see the type's rules for where)
  /// and returns where it went; nothing changes when it is the value already.
  /// - Throws: ``EditorError`` for a key that is not a sysctl name, a value the file format
  ///   cannot hold (empty, a newline, `#` or `;`, surrounding blanks, a leading quote), or a key
  ///   that a file read after every file virthost may write sets (naming it); nothing changed then.
  @discardableResult
  public func set(_ key: String, _ value: String) throws(EditorError) -> SysctlPlacement {
    if let problem = Self.keyProblem(key) { throw EditorError(message: problem) }
    if let problem = Self.valueProblem(key, value) { throw EditorError(message: problem) }
    let wanted = SysctlKey(key)
    let before = configuration.effective(wanted)
    var placement = SysctlPlacement(key: key, value: value, before: before)
    if before.map({ SysctlValue.normalized($0.value) }) == SysctlValue.normalized(value) {
      placements.append(placement)
      return placement
    }
    let saved = (planned, configuration)
    do throws(EditorError) {
      if let file {
        try assign(wanted, key, value, in: file)
        placement.file = file
      } else {
        placement = try place(wanted, key, value, placement)
      }
      if configuration.effective(wanted)?.value != value {
        throw EditorError(file: placement.file, message: lostMessage(wanted, in: placement.file ?? ""))
      }
    } catch {
      (planned, configuration) = saved
      throw error
    }
    placements.append(placement)
    return placement
  }

  /// Makes `key` get no value at boot: takes its assignments out of every file under `/etc`
  /// that has one (the admin's included: the caller owns the key); returns the files changed,
  /// in read order, and the value the key had at boot (`nil` when it had none, and then
  /// nothing changes).
  /// - Throws: ``EditorError`` for a key that is not a sysctl name, or when a file virthost
  ///   does not write (a package's, or a glob line) would still give the key a value, naming
  ///   that file and line; nothing changed then.
  @discardableResult
  public func unset(_ key: String) throws(EditorError) -> (files: [String], before: SysctlSetting?) {
    if let problem = Self.keyProblem(key) { throw EditorError(message: problem) }
    let wanted = SysctlKey(key)
    let before = configuration.effective(wanted)
    guard before != nil else { return ([], nil) }
    let saved = (planned, configuration)
    var changed: [String] = []
    for index in configuration.filesNaming(wanted) {
      let file = configuration.files[index]
      guard file.isUnderEtc, let source = file.source, !changed.contains(source) else { continue }
      if try removeAssignments(of: wanted, from: source) { changed.append(source) }
    }
    if let left = configuration.effective(wanted) {
      (planned, configuration) = saved
      throw EditorError(
        file: left.file.path, line: lineNumber(of: left),
        message:
          "gives \(key) the value \(left.value) at boot, and virthost writes no file outside /etc "
          + "and no glob line: take it out there, or set \(key) = 0 in a file read after it")
    }
    return (changed, before)
  }

  /// The 1-based line of `setting` in its file: the line whose place among the lines that
  /// are not blank or comments is the lens's entry number.
  private func lineNumber(of setting: SysctlSetting) -> Int? {
    guard let text = setting.file.source.flatMap({ configuration.texts[$0] }) else { return nil }
    var entry = -1
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let content = line.drop { $0 == " " || $0 == "\t" }
      if content.isEmpty || content.first == "#" || content.first == ";" { continue }
      entry += 1
      if entry == setting.line.entry { return index + 1 }
    }
    return nil
  }

  /// The files whose text the edits change, with their text before and after: the plan, which
  /// the applier writes. Every path lies under `/etc`.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    var changes: [FileChange] = []
    for path in planned.keys.sorted() {
      let before = originals[path] ?? nil
      guard planned[path] != before else { continue }
      if let problem = Self.writeProblem(path) { throw EditorError(file: path, message: problem) }
      changes.append(FileChange(path: path, before: before, after: planned[path]))
    }
    return changes
  }

  /// Why virthost must not write `path` as a sysctl file: it lies in a sysctl folder outside
  /// `/etc` (a package's or a runtime folder). `nil` for any other path. The applier asks this
  /// of every file it writes, so a plan that says otherwise is refused.
  public static func writeProblem(_ path: String) -> String? {
    let normal = HostRoot.normalise(path)
    guard let folder = SysctlConfiguration.directories.dropFirst().first(where: { normal.hasPrefix($0 + "/") }) else {
      return nil
    }
    return "is in \(folder): virthost never writes sysctl files outside /etc "
      + "(a package's file is reverted by its next upgrade, /run is gone at reboot)"
  }

  // MARK: - Placement

  /// Puts `key = value` where it wins and lasts: the line under `/etc` that wins now, else
  /// ``defaultFile`` or ``laterFile``, whichever is read after every line naming the key.
  private func place(_ wanted: SysctlKey, _ key: String, _ value: String, _ placement: SysctlPlacement)
    throws(EditorError) -> SysctlPlacement
  {
    var placement = placement
    let naming = configuration.filesNaming(wanted)
    if let last = naming.last.map({ configuration.files[$0] }), last.isUnderEtc, let source = last.source,
      last.lines.last(where: { $0.key == wanted && $0.kind != .ignored })?.value != nil
    {
      try assign(wanted, key, value, in: source)
      placement.file = source
      return placement
    }
    let candidates = [Self.defaultFile, Self.laterFile]
    for (index, candidate) in candidates.enumerated() {
      if semantics != .rhel6, !root.exists(candidate),
        SysctlConfiguration.directories.dropFirst().contains(where: { root.exists($0 + "/" + name(candidate)) })
      {
        continue  // it would hide a package's file of that name
      }
      if root.status(candidate, followingLinks: false)?.kind == .symbolicLink { continue }  // someone else's file
      let order = readOrder(adding: candidate)
      guard let position = order.firstIndex(of: candidate),
        naming.allSatisfy({
          configuration.files[$0].source == candidate
            || (order.firstIndex(of: configuration.files[$0].path) ?? 0) < position
        })
      else { continue }
      try assign(wanted, key, value, in: candidate)
      placement.file = candidate
      for earlier in candidates[..<index] where planned[earlier] != nil || root.exists(earlier) {
        if try removeAssignments(of: wanted, from: earlier) { placement.removedFrom = earlier }
      }
      placement.detail = detail(wanted, placement)
      return placement
    }
    let later = naming.last.map { configuration.files[$0] }
    throw EditorError(
      file: later?.path,
      message: "sets \(key), and is read after \(Self.laterFile), the last file virthost writes: "
        + "virthost does not hide a package's file by default; set it with file: /etc/sysctl.d/"
        + "\(later?.name ?? "NAME") (a copy of that file with the new value, which then replaces it)")
  }

  /// Sets `key` in `path` (links resolved): its last assignment there changed, or a line added.
  private func assign(_ wanted: SysctlKey, _ key: String, _ value: String, in path: String) throws(EditorError) {
    let current = try currentText(path)
    let file = configuration.files.first { $0.source == path }
    let next: String
    if let current, let line = file?.lines.last(where: { $0.key == wanted && $0.value != nil }) {
      next = try text.replacingValue(entry: line.entry, with: value, in: current, file: path)
    } else {
      next = try text.appending(key: wanted.description, value: value, to: current, header: Self.header, file: path)
    }
    try plan(next, for: path)
  }

  /// Takes the assignments of `wanted` out of `path`; whether there were any.
  private func removeAssignments(of wanted: SysctlKey, from path: String) throws(EditorError) -> Bool {
    guard let current = try currentText(path), let file = configuration.files.first(where: { $0.source == path })
    else { return false }
    let entries = file.lines.filter { $0.key == wanted && $0.value != nil }.map(\.entry)
    if entries.isEmpty { return false }
    try plan(try text.removing(entries: entries, from: current, file: path), for: path)
    return true
  }

  /// Records `text` as the planned text of `path` and reads every file again with it: the
  /// lens must accept the whole new text.
  private func plan(_ text: String, for path: String) throws(EditorError) {
    if originals[path] == nil {
      do {
        originals[path] = .some(try root.text(path))
      } catch {
        throw EditorError(reading: error)
      }
    }
    planned[path] = text
    configuration = try SysctlConfiguration(root: root, semantics: semantics, planned: planned)
  }

  private func currentText(_ path: String) throws(EditorError) -> String? {
    if let text = planned[path] { return text }
    do {
      return try root.text(path)
    } catch {
      throw EditorError(reading: error)
    }
  }

  private func readOrder(adding path: String) -> [String] {
    SysctlConfiguration.readOrder(root, semantics, adding: Array(planned.keys) + [path])
  }

  private func name(_ path: String) -> String { String(path.split(separator: "/").last ?? "") }

  // MARK: - Words

  /// Why a setting is not where it was: the file that would otherwise win, and where it went.
  private func detail(_ wanted: SysctlKey, _ placement: SysctlPlacement) -> String? {
    guard let before = placement.before, let written = placement.file else { return nil }
    let file = before.file
    if before.line.key.isGlob {
      return "\(placement.key) is set by the glob \(before.line.key) in \(file.path): "
        + "an assignment in \(written) takes precedence over any glob"
    }
    let kind: String
    if file.path.hasPrefix("/run/") {
      kind = "runtime file, gone at reboot"
    } else if file.path.hasPrefix("/etc/") {
      kind = "file"
    } else {
      kind = file.path.hasPrefix("/usr/local/") ? "local package file" : "package file"
    }
    let order = readOrder(adding: Self.defaultFile)
    let after = (order.firstIndex(of: file.path) ?? 0) > (order.firstIndex(of: Self.defaultFile) ?? 0)
    var sentence =
      "\(placement.key) is set by \(file.path) (\(kind), read \(after ? "after" : "before") \(name(Self.defaultFile))): "
      + "written to \(written), read after it"
    if !file.path.hasPrefix("/etc/") { sentence += "; \(file.path) is left as it is" }
    return sentence
  }

  private func lostMessage(_ wanted: SysctlKey, in path: String) -> String {
    guard let winner = configuration.effective(wanted) else {
      return "\(wanted) would still not be set at boot: an exclusion line keeps it out"
    }
    return "\(wanted) would still be \(winner.value) at boot: \(winner.file.path), read after \(path), sets it"
  }

  /// Why `file` cannot be the file asked for under `semantics`; `nil` when it can.
  static func fileProblem(_ file: String, _ semantics: SysctlSemantics, _ configuration: SysctlConfiguration)
    -> String?
  {
    let parts = file.split(separator: "/", omittingEmptySubsequences: false)
    guard file.hasPrefix("/etc/"), !parts.contains(".."), !parts.contains(".") else {
      return "virthost writes sysctl settings only under /etc (a package's file is reverted by its next upgrade, "
        + "/run is gone at reboot)"
    }
    let inDropIns = parts.count == 4 && parts[2] == "sysctl.d" && !parts[3].isEmpty
    switch semantics {
    case .systemd:
      if file == SysctlConfiguration.mainFile {
        guard configuration.files.contains(where: { $0.source == file }) else {
          return "systemd-sysctl does not read /etc/sysctl.conf on this host: no /etc/sysctl.d/*.conf links to it"
        }
        return nil
      }
      return inDropIns && file.hasSuffix(".conf")
        ? nil : "is not read by systemd-sysctl: use a *.conf file in /etc/sysctl.d"
    case .procps:
      return file == SysctlConfiguration.mainFile || (inDropIns && file.hasSuffix(".conf"))
        ? nil : "is not read by sysctl --system: use /etc/sysctl.conf or a *.conf file in /etc/sysctl.d"
    case .rhel6:
      return file == SysctlConfiguration.mainFile || inDropIns
        ? nil : "is not read by RHEL 6's boot scripts: use /etc/sysctl.conf or a file in /etc/sysctl.d"
    }
  }

  static func keyProblem(_ key: String) -> String? {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
    let parts = key.split(separator: ".", omittingEmptySubsequences: false)
    if key.isEmpty || !key.allSatisfy(allowed.contains) || parts.count < 2 || parts.contains(where: \.isEmpty)
      || key.hasPrefix("-")
    {
      return "invalid sysctl key \(String(reflecting: key)): expected dotted names such as kernel.numa_balancing"
    }
    return nil
  }

  /// Why `value` cannot be written as `key`'s value in a sysctl file (empty, a newline, a
  /// comment character, blanks at its ends, a leading quote, a control character); `nil`
  /// when it can. The spec parser refuses a `sysctl:` value with the same words.
  public static func valueProblem(_ key: String, _ value: String) -> String? {
    let why: String?
    if value.isEmpty {
      why = "it is empty"
    } else if value.contains(where: { $0.isNewline }) {
      why = "it contains a newline"
    } else if value.contains("#") || value.contains(";") {
      why = "it contains # or ;, which start a comment"
    } else if value.first!.isWhitespace || value.last!.isWhitespace {
      why = "it starts or ends with a blank"
    } else if value.first == "\"" || value.first == "'" {
      why = "it starts with a quote"
    } else if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) {
      why = "it contains a control character"
    } else {
      why = nil
    }
    return why.map { "invalid value \(String(reflecting: value)) for \(key): \($0)" }
  }
}
