import Augeas
import Foundation

/// Reads and sets persistent kernel parameters (`kernel.numa_balancing = 1`) in the files
/// `sysctl --system` reads, with the Sysctl lens, and reads their live values under `proc/sys`.
///
/// The files are read in `sysctl --system`'s order: the `*.conf` files of `/etc/sysctl.d`,
/// `/run/sysctl.d`, `/usr/local/lib/sysctl.d`, `/usr/lib/sysctl.d` and `/lib/sysctl.d` sorted by
/// name (a name in an earlier folder hides the same name in later ones), then `/etc/sysctl.conf`;
/// the last assignment of a key wins. Not for applying values to the running kernel: the engine
/// writes live values itself.
///
/// Not `Sendable`: it owns an `AugeasTree`.
public final class SysctlEditor {
  /// The drop-in virthost writes its settings to unless told otherwise.
  public static let defaultFile = "/etc/sysctl.d/90-virthost.conf"
  /// The drop-in folders, highest priority first.
  public static let directories = [
    "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d",
  ]
  /// The classic file, read last.
  public static let mainFile = "/etc/sysctl.conf"
  static let lens = "Sysctl.lns"
  static let header = "Kernel settings written by virthost (sysctl.d(5)); the last assignment of a key wins."

  /// The root directory, as given.
  public let root: String
  /// The file new settings go to, symlinks resolved inside the root.
  public let file: String
  /// The files read, in `sysctl --system`'s order, symlinks resolved; the last one wins.
  public let files: [String]
  private let paths: RootPath
  private let tree: AugeasTree
  /// Each file's text on disk when opened, `nil` for a missing one.
  private var originals: [String: String]
  private var edited: Set<String> = []

  /// Opens the sysctl files under `root`; new settings go to `file` (a missing file is created on save).
  ///
  /// - Throws: ``EditorError`` when `file` is not a file `sysctl --system` reads (`*.conf` in a
  ///   sysctl.d folder, or `/etc/sysctl.conf`), or when a file cannot be parsed (with its line).
  public init(root: String, file: String = SysctlEditor.defaultFile) throws(EditorError) {
    self.root = root
    paths = RootPath(root)
    let components = RootPath.components(file)
    let folder = "/" + components.dropLast().joined(separator: "/")
    guard file.hasPrefix("/"), !components.contains(".."),
      file == Self.mainFile || (Self.directories.contains(folder) && file.hasSuffix(".conf"))
    else {
      throw EditorError(
        file: file,
        message: "is not read by sysctl --system: use /etc/sysctl.conf or a *.conf file in "
          + Self.directories.joined(separator: ", "))
    }
    self.file = paths.resolve(file)
    var byName: [String: String] = [:]
    for directory in Self.directories {
      for name in paths.list(directory) where name.hasSuffix(".conf") && byName[name] == nil {
        byName[name] = directory + "/" + name
      }
    }
    if file != Self.mainFile, byName[components.last!] == nil { byName[components.last!] = file }
    var order = byName.keys.sorted().map { byName[$0]! }
    if paths.kind(paths.resolve(Self.mainFile)) != nil || file == Self.mainFile { order.append(Self.mainFile) }
    var resolved: [String] = []
    for path in order.map(paths.resolve) where paths.kind(path) != .typeDirectory {
      resolved.removeAll { $0 == path }  // read twice (a link to sysctl.conf): its last place counts
      resolved.append(path)
    }
    files = resolved
    var originals: [String: String] = [:]
    for path in resolved { originals[path] = paths.read(path) }
    self.originals = originals
    do {
      tree = try AugeasTree(root: root, transforms: [Transform(lens: Self.lens, includes: resolved)])
    } catch {
      throw EditorError(error)
    }
  }

  /// The value `sysctl --system` would set for `key` at boot: its last assignment across the
  /// files, or `nil` when no file assigns it. `kernel/numa_balancing` is the same key.
  public func persistentValue(_ key: String) throws(EditorError) -> String? {
    try assignments(of: key).last?.value
  }

  /// The running kernel's value of `key`, from `proc/sys` under the root (`nil` when missing
  /// or for an invalid key); values of several fields keep their tabs.
  public func liveValue(_ key: String) -> String? {
    guard Self.keyProblem(key) == nil else { return nil }
    let path = "/proc/sys/" + Self.normalized(key).replacingOccurrences(of: ".", with: "/")
    guard let data = FileManager.default.contents(atPath: paths.full(path)) else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
  }

  /// Makes `value` the persistent value of `key`: nothing when it already is; else the winning
  /// assignment is changed in place when it stands in ``file`` or in a file read after it (so
  /// that the new value wins), or the key is added to ``file``.
  /// - Throws: ``EditorError`` for a key that is not a sysctl name or a value the file format
  ///   cannot hold (empty, a newline, `#` or `;`, surrounding blanks, a leading quote); nothing changed then.
  public func set(_ key: String, _ value: String) throws(EditorError) {
    if let problem = Self.keyProblem(key) { throw EditorError(message: problem) }
    if let problem = Self.valueProblem(key, value) { throw EditorError(message: problem) }
    let assignments = try assignments(of: key)
    if assignments.last?.value == value { return }
    let ours = files.firstIndex(of: file) ?? files.count
    do {
      if let winner = assignments.last, let index = files.firstIndex(of: winner.file), index >= ours {
        try tree.set(winner.node, value)
        edited.insert(winner.file)
      } else {
        let base = "/files" + file
        if originals[file] == nil, try tree.count(base + "/*") == 0 {
          try tree.set(base + "/#comment", Self.header)
        }
        try tree.set(base + "/" + Self.normalized(key), value)
        edited.insert(file)
      }
    } catch {
      throw EditorError(error)
    }
  }

  /// The files ``save()`` would write, with their text before and after.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    var changes: [FileChange] = []
    for path in files where edited.contains(path) {
      let before = originals[path] ?? nil
      let after: String
      do {
        after =
          before == nil
          ? try tree.renderText(lens: Self.lens, from: "/files" + path, original: "") : try tree.preview(file: path)
      } catch {
        throw EditorError(error)
      }
      if after != before { changes.append(FileChange(path: path, before: before, after: after)) }
    }
    return changes
  }

  /// Writes the changed files (Augeas's save: a temporary file and a rename, mode kept) and
  /// returns their paths; a new drop-in's folder is created.
  @discardableResult
  public func save() throws(EditorError) -> [String] {
    let changes = try pendingChanges()
    guard !changes.isEmpty else { return [] }
    for change in changes where change.before == nil {
      let folder = (paths.full(change.path) as NSString).deletingLastPathComponent
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw EditorError(file: change.path, message: "cannot create its folder: \(error.localizedDescription)")
      }
    }
    do {
      let saved = try tree.save()
      for change in changes { originals[change.path] = change.after }
      edited.removeAll()
      return saved.map(\.target)
    } catch {
      throw EditorError(error)
    }
  }

  // MARK: - Helpers

  /// Every assignment of `key`, in reading order.
  private func assignments(of key: String) throws(EditorError) -> [(file: String, node: String, value: String)] {
    let wanted = Self.normalized(key)
    var result: [(String, String, String)] = []
    do {
      for path in files {
        for node in try tree.match("/files" + path + "/*") {
          guard let label = try tree.label(node), !label.hasPrefix("#"), Self.normalized(label) == wanted else {
            continue
          }
          result.append((path, node, try tree.get(node) ?? ""))
        }
      }
    } catch {
      throw EditorError(error)
    }
    return result
  }

  /// `kernel/numa_balancing` and `-kernel.numa_balancing` (ignore errors) are `kernel.numa_balancing`.
  static func normalized(_ key: String) -> String {
    (key.hasPrefix("-") ? String(key.dropFirst()) : key).replacingOccurrences(of: "/", with: ".")
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

  static func valueProblem(_ key: String, _ value: String) -> String? {
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
