import Augeas
import RootFS

/// Reads and plans persistent kernel parameters (`kernel.numa_balancing = 1`) in the files
/// `sysctl --system` reads, with the Sysctl lens, and reads their live values under `proc/sys`.
///
/// The files are read in `sysctl --system`'s order: the `*.conf` files of `/etc/sysctl.d`,
/// `/run/sysctl.d`, `/usr/local/lib/sysctl.d`, `/usr/lib/sysctl.d` and `/lib/sysctl.d` sorted by
/// name (a name in an earlier folder hides the same name in later ones), then `/etc/sysctl.conf`;
/// the last assignment of a key wins. Each file is read through the root and parsed as text.
/// Nothing here writes: ``pendingChanges()`` gives the new texts, which the applier writes.
/// Not for applying values to the running kernel: the engine writes live values itself.
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
  /// Where the files' trees live in the Augeas tree, each under its path.
  static let node = "/sysctl"

  /// The root read.
  public let root: HostRoot
  /// The file new settings go to, symlinks resolved inside the root.
  public let file: String
  /// The files read, in `sysctl --system`'s order, symlinks resolved; the last one wins.
  public let files: [String]
  private let tree: AugeasTree
  /// Each file's text on disk when opened, `nil` for a missing one.
  private var originals: [String: String]
  private var edited: Set<String> = []

  /// Opens the sysctl files under `root`; new settings go to `file` (a missing file is planned as new).
  ///
  /// - Throws: ``EditorError`` when `file` is not a file `sysctl --system` reads (`*.conf` in a
  ///   sysctl.d folder, or `/etc/sysctl.conf`), or when a file cannot be read or parsed (with its line).
  public init(root: HostRoot, file: String = SysctlEditor.defaultFile) throws(EditorError) {
    self.root = root
    let components = file.split(separator: "/").map(String.init)
    let folder = "/" + components.dropLast().joined(separator: "/")
    guard file.hasPrefix("/"), !components.contains(".."),
      file == Self.mainFile || (Self.directories.contains(folder) && file.hasSuffix(".conf"))
    else {
      throw EditorError(
        file: file,
        message: "is not read by sysctl --system: use /etc/sysctl.conf or a *.conf file in "
          + Self.directories.joined(separator: ", "))
    }
    let resolve = { (path: String) in root.resolve(path) ?? path }
    self.file = resolve(file)
    var byName: [String: String] = [:]
    for directory in Self.directories {
      for name in root.listIfPresent(directory) where name.hasSuffix(".conf") && byName[name] == nil {
        byName[name] = directory + "/" + name
      }
    }
    if file != Self.mainFile, byName[components.last!] == nil { byName[components.last!] = file }
    var order = byName.keys.sorted().map { byName[$0]! }
    if root.status(Self.mainFile) != nil || file == Self.mainFile { order.append(Self.mainFile) }
    var resolved: [String] = []
    for path in order.map(resolve) where !root.isDirectory(path) {
      resolved.removeAll { $0 == path }  // read twice (a link to sysctl.conf): its last place counts
      resolved.append(path)
    }
    files = resolved
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw EditorError(error)
    }
    var originals: [String: String] = [:]
    for path in resolved {
      do {
        originals[path] = try root.text(path)
      } catch {
        throw EditorError(reading: error)
      }
      guard let text = originals[path] else { continue }
      do {
        try tree.parseText(text, lens: Self.lens, into: Self.node + path)
      } catch {
        throw EditorError(text: error, file: path)
      }
    }
    self.originals = originals
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
    let path = "/proc/sys/" + Self.normalized(key).split(separator: ".").joined(separator: "/")
    guard let bytes = try? root.read(path, limit: 1 << 20) else { return nil }
    let newline = UInt8(ascii: "\n")
    let end = bytes.lastIndex { $0 != newline }.map { $0 + 1 } ?? 0
    let start = bytes[..<end].firstIndex { $0 != newline } ?? end
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// Makes `value` the persistent value of `key` in the planned texts: nothing when it already
  /// is; else the winning assignment is changed in place when it stands in ``file`` or in a file
  /// read after it (so that the new value wins), or the key is added to ``file``.
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
        let base = Self.node + file
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

  /// The files whose text the edits change, with their text before and after: the plan,
  /// which the applier writes.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    var changes: [FileChange] = []
    for path in files where edited.contains(path) {
      let before = originals[path] ?? nil
      let after: String
      do {
        after = try tree.renderText(lens: Self.lens, from: Self.node + path, original: before ?? "")
      } catch {
        throw EditorError(text: error, file: path)
      }
      if after != before { changes.append(FileChange(path: path, before: before, after: after)) }
    }
    return changes
  }

  // MARK: - Helpers

  /// Every assignment of `key`, in reading order.
  private func assignments(of key: String) throws(EditorError) -> [(file: String, node: String, value: String)] {
    let wanted = Self.normalized(key)
    var result: [(String, String, String)] = []
    do {
      for path in files {
        for node in try tree.match(Self.node + path + "/*") {
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
    (key.hasPrefix("-") ? key.dropFirst() : key[...]).split(separator: "/", omittingEmptySubsequences: false)
      .joined(separator: ".")
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
