import Augeas
import HostConfig
import RootFS

/// Plans edits of `/etc/libvirt/qemu.conf` under a root through libvirt's lens
/// `libvirtd_qemu.aug` loaded from the root (``QemuConf``).
///
/// A setting the file assigns is changed where it stands. One it does not assign is added as a
/// new line right after its commented default (`#max_files = 0`, as shipped; after the closing
/// `#]` of a commented list), which stays as it is to document the default; with no commented
/// default, at the end. Comments and every other line keep their bytes. Values go in as the lens
/// types them (``QemuConfValueType``): strings quoted, numbers and booleans bare, lists of
/// strings. Nothing here writes: ``pendingChanges()`` gives the new text, which the applier writes.
///
/// Not `Sendable`: it owns the reader's `AugeasTree`. Not for libvirt's other files.
public final class QemuConfEditor {
  /// The file's path from the root.
  public static let path = QemuConf.path

  private let conf: QemuConf
  /// The text the tree was last parsed from.
  private var base: String
  /// Whether the tree was changed since it was parsed from ``base``.
  private var treeEdited = false

  /// Opens the root's qemu.conf with the root's lens.
  /// - Throws: ``EditorError`` as ``QemuConf/init(root:)`` does.
  public init(root: HostRoot) throws(EditorError) {
    conf = try QemuConf(root: root)
    base = conf.text
  }

  /// The file really read.
  public var file: String { conf.file }
  /// The settings the root's lens declares.
  public var settings: QemuConfSettings { conf.settings }

  /// The value of `key` in the file, `nil` when it does not set it.
  public func value(_ key: String) throws(EditorError) -> QemuConfValue? { try conf.value(key) }

  /// Sets each setting, in order; a setting that already holds its value is left as it is.
  ///
  /// Every key and value is checked first against the lens's settings and types.
  /// - Throws: ``EditorError`` for the first key the lens does not declare or value its type
  ///   refuses; nothing changed then.
  public func set(_ values: [(key: String, value: QemuConfValue)]) throws(EditorError) {
    var accepted: [(key: String, value: QemuConfValue)] = []
    for (key, value) in values {
      guard let type = settings.types[key] else {
        throw EditorError(
          file: Self.path,
          message: "has no setting \"\(key)\" (libvirt's lens \(QemuConf.lensFile) does not declare it)")
      }
      switch type.accept(value) {
      case .success(let stored): accepted.append((key, stored))
      case .failure(let problem): throw EditorError(file: Self.path, message: "\(key) \(problem)")
      }
    }
    for (key, value) in accepted {
      guard try conf.value(key) != value else { continue }
      try augeas { () throws(AugeasError) in try assign(key, value) }
      treeEdited = true
    }
  }

  /// The planned change, which the applier writes: none when the text stays the same.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    let text = try render()
    return text == conf.text ? [] : [FileChange(path: conf.file, before: conf.text, after: text)]
  }

  /// The file when the plan changes it, known without rendering the tree.
  public func changedFiles() -> [String] { treeEdited ? [conf.file] : [] }

  // MARK: - Helpers

  private func assign(_ key: String, _ value: QemuConfValue) throws(AugeasError) {
    let tree = conf.tree
    let path = QemuConf.node + "/" + key
    if let existing = try tree.match(path).last {
      try write(value, at: existing)
      return
    }
    if let anchor = try commentedDefault(of: key) {
      try tree.insert(key, at: anchor, before: false)
      try write(value, at: try tree.match(path).last ?? path)
    } else {
      try write(value, at: path)
    }
  }

  /// Sets the node at `path` (created when missing) to `value`.
  private func write(_ value: QemuConfValue, at path: String) throws(AugeasError) {
    let tree = conf.tree
    switch value {
    case .scalar(let text):
      try tree.set(path, text)
    case .list(let items):
      _ = try tree.remove(path + "/*")
      try tree.clear(path)
      for (index, item) in items.enumerated() { try tree.set("\(path)/\(index + 1)", item) }
    }
  }

  /// The path of the last comment line of `key`'s commented default (`#key = …`, through its
  /// closing `]` for a list spread over lines), `nil` when the file has none.
  private func commentedDefault(of key: String) throws(AugeasError) -> String? {
    let tree = conf.tree
    let paths = try tree.match(QemuConf.node + "/*")
    let nodes = try tree.children(of: QemuConf.node)
    guard paths.count == nodes.count else { return nil }
    // A commented default is `#key = …` with `#` at the start of its line, as libvirt ships
    // them; the comment's text in the tree has lost its blanks, so the line itself is looked
    // for: an indented example inside the documentation (`#       user = "qemu"`) is not one.
    let lines = Set(base.split(separator: "\n").map(String.init))
    guard
      let start = nodes.indices.first(where: {
        guard nodes[$0].label == "#comment", let text = nodes[$0].value else { return false }
        return Self.isAssignment(text, of: key) && lines.contains("#" + text)
      })
    else { return nil }
    var end = start
    let first = nodes[start].value ?? ""
    if first.contains("["), !first.contains("]") {
      while end + 1 < nodes.count, nodes[end + 1].label == "#comment" {
        end += 1
        if (nodes[end].value ?? "").contains("]") { break }
      }
    }
    return paths[end]
  }

  /// Whether a comment's text (after `#` and blanks) is `key = …` or `key=…`.
  static func isAssignment(_ comment: String, of key: String) -> Bool {
    guard comment.hasPrefix(key) else { return false }
    return comment.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }.first == "="
  }

  private func render() throws(EditorError) -> String {
    treeEdited ? try conf.render(original: base) : base
  }

  private func augeas<T>(_ body: () throws(AugeasError) -> T) throws(EditorError) -> T {
    do {
      return try body()
    } catch {
      throw EditorError(error)
    }
  }
}
