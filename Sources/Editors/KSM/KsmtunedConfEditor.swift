import Augeas
import KSMConfig
import RootFS

/// Reads `/etc/ksmtuned.conf` under a root with the Shellvars lens and plans its edits.
///
/// A setting whose commented default stands in the file (`# KSM_NPAGES_MAX=1250`,
/// as shipped) is set in place of that comment; an assigned setting is changed
/// where it stands; any other is added at the end. Comments and the rest of the
/// file stay as they are. A missing file is planned from ksmtuned's shipped file
/// (``KsmtunedConf/shippedText``). Values are checked before anything changes
/// (see ``set(_:)``), so the file always stays valid shell. Nothing here writes:
/// ``pendingChanges()`` gives the new text, which the applier writes.
///
/// Not `Sendable`: it owns an `AugeasTree`. Not for other shell variables.
public final class KsmtunedConfEditor {
  /// The file's path from the root.
  public static let path = KsmtunedConf.path
  /// Where a missing file's text comes from, as errors name it.
  static let shippedFile = "ksmtuned's shipped ksmtuned.conf"
  static let lens = "Shellvars.lns"
  /// Where the file's tree lives in the Augeas tree.
  static let node = "/ksmtuned"

  /// The root read.
  public let root: HostRoot
  /// The file really read and planned, symlinks resolved inside the root.
  public let file: String
  private let tree: AugeasTree
  /// The file's text on disk, `nil` when it does not exist.
  private var original: String?
  /// The text the tree was last parsed from; unchanged parts keep its formatting.
  private var base: String
  /// Whether a setting was set or unset, so that a missing file is created.
  private var edited = false
  /// Whether the tree was changed since it was parsed from `base`. While it was
  /// not, rendering it gives `base` back (Augeas's lenses keep text they did not
  /// change), so `base` is used without Augeas's put, which compiles the lens's
  /// regular expressions anew on every call.
  private var treeEdited = false

  /// Opens `/etc/ksmtuned.conf` under `root`; a missing file is fine.
  ///
  /// - Throws: ``EditorError`` with the line and column when the file is not
  ///   shell the Shellvars lens can parse.
  public init(root: HostRoot) throws(EditorError) {
    self.root = root
    file = root.resolve(Self.path) ?? Self.path
    do {
      original = try root.text(file)
    } catch {
      throw EditorError(reading: error)
    }
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw EditorError(error)
    }
    base = original ?? KsmtunedConf.shippedText
    try parse(base)
  }

  /// Whether the file exists under the root.
  public var exists: Bool { original != nil }

  /// Every setting with the value in the file and the value ksmtuned uses.
  public func values() throws(EditorError) -> [KsmtunedSetting: KsmtunedValue] {
    var result: [KsmtunedSetting: KsmtunedValue] = [:]
    for setting in KsmtunedSetting.allCases {
      let inFile = try assigned(setting)
      result[setting] = KsmtunedValue(inFile: inFile, effective: inFile ?? setting.defaultValue)
    }
    return result
  }

  /// Sets each setting to its value, written explicitly even when it equals
  /// ksmtuned's default; a setting that already holds the value is left as it is.
  ///
  /// Every value is checked first: integers for the eight `KSM_` settings
  /// (no leading zeros, which the shell reads as octal), `KSM_MONITOR_INTERVAL`
  /// at least 1, `KSM_THRES_COEF` within 0...100, `KSM_NPAGES_MIN` not above
  /// `KSM_NPAGES_MAX` (counting the values the file already has), `LOGFILE` an
  /// absolute path, and nothing the shell would expand or run (`$`, backticks,
  /// `;`, newlines, operators, quotes). Values with spaces are single-quoted.
  /// - Throws: ``EditorError`` for the first value refused; nothing changed then.
  public func set(_ values: [KsmtunedSetting: String]) throws(EditorError) {
    for setting in KsmtunedSetting.allCases {
      guard let value = values[setting] else { continue }
      if let problem = setting.problem(with: value) {
        throw EditorError(file: Self.path, message: "\(setting.rawValue) \(problem)")
      }
    }
    try checkBounds(setting: values, unsetting: [])
    let current = try self.values()
    let changed = KsmtunedSetting.allCases.filter { values[$0] != nil && current[$0]?.inFile != values[$0] }
    guard !changed.isEmpty else { return }
    try transaction { () throws(EditorError) in
      var pending: [KsmtunedSetting] = []
      for setting in changed {
        let value = KsmtunedConf.quoted(values[setting]!)
        if let last = try augeas({ () throws(AugeasError) in try tree.match(path(setting)).last }) {
          try augeas { () throws(AugeasError) in try tree.set(last, value) }
          treeEdited = true
        } else {
          pending.append(setting)
        }
      }
      // Uncommenting is a change of text, not of the tree: a new node would lose the
      // blank lines that belong to the comment it replaces. Done on the text, then parsed again.
      if !pending.isEmpty {
        var lines = try render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var appended: [KsmtunedSetting] = []
        for setting in pending {
          let value = KsmtunedConf.quoted(values[setting]!)
          if let index = lines.firstIndex(where: { Self.isCommentedDefault($0, of: setting) }) {
            lines[index] = setting.rawValue + "=" + value
          } else {
            appended.append(setting)
          }
        }
        base = lines.joined(separator: "\n")
        try parse(base)
        for setting in appended {
          let value = KsmtunedConf.quoted(values[setting]!)
          try augeas { () throws(AugeasError) in try tree.set(path(setting), value) }
          treeEdited = true
        }
      }
    }
    edited = true
  }

  /// Removes every assignment of the settings, so that ksmtuned uses its defaults.
  ///
  /// The first assignment line of a setting becomes its commented default again, as shipped
  /// (`# KSM_NPAGES_MAX=1250`, `# LOGFILE=/var/log/ksmtuned`, `# DEBUG=1`), so that unsetting
  /// what ``set(_:)`` set gives back the file as it was; any other assignment is removed.
  /// - Throws: ``EditorError`` when the defaults would put `KSM_NPAGES_MIN` above
  ///   `KSM_NPAGES_MAX`; nothing changed then.
  public func unset(_ settings: [KsmtunedSetting]) throws(EditorError) {
    try checkBounds(setting: [:], unsetting: settings)
    var present: [KsmtunedSetting] = []
    for setting in KsmtunedSetting.allCases where settings.contains(setting) {
      if try augeas({ () throws(AugeasError) in try tree.count(path(setting)) }) > 0 { present.append(setting) }
    }
    guard !present.isEmpty else { return }
    try transaction { () throws(EditorError) in
      // On the text for the same reason as uncommenting in set(_:): the blank lines stay.
      var lines = try render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for setting in present {
        var commented = false
        lines = lines.compactMap { line in
          guard Self.isAssignment(line, of: setting) else { return line }
          defer { commented = true }
          return commented ? nil : "# " + setting.rawValue + "=" + setting.shippedValue
        }
      }
      base = lines.joined(separator: "\n")
      try parse(base)
      // Assignments the lines did not show (inside a compound command, say) go through the tree.
      for setting in present {
        if try augeas({ () throws(AugeasError) in try tree.remove(path(setting)) }) > 0 { treeEdited = true }
      }
    }
    edited = true
  }

  /// The planned change, which the applier writes: none when the text stays the same,
  /// or when the file is missing and nothing was set.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    let text = try render()
    if let original {
      return text == original ? [] : [FileChange(path: file, before: original, after: text)]
    }
    return edited ? [FileChange(path: file, before: nil, after: text)] : []
  }

  /// The file when the plan changes or creates it, known without rendering
  /// the tree: a lens renders a changed tree as a different text.
  public func changedFiles() -> [String] {
    if let original { return treeEdited || base != original ? [file] : [] }
    return edited ? [file] : []
  }

  // MARK: - Helpers

  private func path(_ setting: KsmtunedSetting) -> String { Self.node + "/" + setting.rawValue }

  private func assigned(_ setting: KsmtunedSetting) throws(EditorError) -> String? {
    try augeas { () throws(AugeasError) -> String? in
      guard let last = try tree.match(path(setting)).last, let raw = try tree.get(last) else { return nil }
      return KsmtunedConf.unquoted(raw)
    }
  }

  /// Refuses `KSM_NPAGES_MIN` > `KSM_NPAGES_MAX` after the given sets and unsets.
  private func checkBounds(setting values: [KsmtunedSetting: String], unsetting: [KsmtunedSetting])
    throws(EditorError)
  {
    let current = try self.values()
    func after(_ setting: KsmtunedSetting) -> Int? {
      if let value = values[setting] { return Int(value) }
      if unsetting.contains(setting) { return setting.defaultNumber }
      return current[setting]?.effective.flatMap { Int($0) }
    }
    if let minimum = after(.npagesMin), let maximum = after(.npagesMax), minimum > maximum {
      throw EditorError(
        file: Self.path,
        message: "\(KsmtunedSetting.npagesMin.rawValue) \(KsmtunedValueProblem.minimumAboveMaximum(minimum, maximum))")
    }
  }

  /// Whether `line` is a comment holding an assignment of `setting`, such as `# KSM_NPAGES_MAX=1250`.
  static func isCommentedDefault(_ line: String, of setting: KsmtunedSetting) -> Bool {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    let text = line.drop(while: blank)
    guard text.first == "#" else { return false }
    return text.dropFirst().drop(while: blank).hasPrefix(setting.rawValue + "=")
  }

  /// Whether `line` is a plain assignment of `setting` (`KSM_NPAGES_MAX=2000`, `export DEBUG=1`).
  static func isAssignment(_ line: String, of setting: KsmtunedSetting) -> Bool {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    var text = line.drop(while: blank)
    if text.hasPrefix("export"), text.dropFirst("export".count).first.map(blank) == true {
      text = text.dropFirst("export".count).drop(while: blank)
    }
    return text.hasPrefix(setting.rawValue + "=")
  }

  /// Parses `text` (always `base`, the text unchanged parts keep) into the tree.
  private func parse(_ text: String) throws(EditorError) {
    do {
      try tree.parseText(text, lens: Self.lens, into: Self.node)
      treeEdited = false
    } catch {
      treeEdited = true
      throw textError(error)
    }
  }

  private func render() throws(EditorError) -> String {
    if !treeEdited { return base }
    do {
      return try tree.renderText(lens: Self.lens, from: Self.node, original: base)
    } catch {
      throw textError(error)
    }
  }

  private func textError(_ error: AugeasError) -> EditorError {
    EditorError(text: error, file: original == nil ? Self.shippedFile : file)
  }

  /// Runs `body`; when it throws, the tree is restored as it was.
  private func transaction(_ body: () throws(EditorError) -> Void) throws(EditorError) {
    let savedText = try render()
    do {
      try body()
    } catch {
      base = savedText
      try? parse(savedText)
      throw error
    }
  }

  private func augeas<T>(_ body: () throws(AugeasError) -> T) throws(EditorError) -> T {
    do {
      return try body()
    } catch {
      throw EditorError(error)
    }
  }
}
