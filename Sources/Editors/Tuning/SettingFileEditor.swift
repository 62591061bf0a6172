import Augeas
import HostConfig
import RootFS

/// Sets or removes one setting of a small configuration file through a lens chosen
/// explicitly (`Systemd.lns` for a `system.conf.d` drop-in, `Shellvars.lns` for
/// irqbalance's environment file), keeping the rest of the file as it is. A missing file
/// is the empty text. Nothing here writes: ``pendingChange()`` gives the new text.
///
/// Not `Sendable`: it owns an Augeas tree. Not for files with several settings of one key
/// that must all be kept (the last one is the one changed).
public final class SettingFileEditor {
  /// The file, as a path from the root.
  public let file: String
  private let tree: BootConfigTree
  private let exists: Bool
  private var edited = false

  /// Parses `file` of `root` with `lens`.
  ///
  /// - Throws: ``EditorError`` naming the file, line and column the lens does not accept.
  public init(root: HostRoot, file: String, lens: String) throws(EditorError) {
    self.file = file
    exists = root.exists(file)
    tree = try BootConfigTree.parsing(file, lens: lens, root: root)
  }

  /// The value at `key` (`Manager/CPUAffinity`, `IRQBALANCE_BANNED_CPULIST`): a Systemd
  /// entry's values joined by a space, a shell value as written; `nil` when unset.
  public func value(_ key: String) throws(EditorError) -> String? {
    do {
      guard let node = try tree.augeas.match(base + "/" + key).last else { return nil }
      return try text(of: node)
    } catch { throw EditorError(error) }
  }

  /// Makes `key` hold `value` (one occurrence, the last one kept). `valueChild` sets the
  /// Systemd lens's `value` child instead of the node itself.
  public func set(_ key: String, _ value: String, valueChild: Bool = false) throws(EditorError) {
    let current = try self.value(key)
    let occurrences = try count(key)
    guard current != value || occurrences > 1 else { return }
    do {
      let nodes = try tree.augeas.match(base + "/" + key)
      for node in nodes.dropLast().reversed() { _ = try tree.augeas.remove(node) }
      let target = nodes.last ?? base + "/" + key
      if valueChild {
        _ = try tree.augeas.remove(target + "/value")
        try tree.augeas.set(target + "/value", value)
      } else {
        try tree.augeas.set(target, value)
      }
    } catch { throw EditorError(error) }
    edited = true
  }

  /// Makes `key` an empty assignment followed by `value` in the Systemd lens's `value`
  /// child, as systemd's list settings need: systemd merges every `CPUAffinity=` of
  /// system.conf and its drop-ins into one mask, and an empty assignment drops the ones
  /// before it (systemd-system.conf(5)).
  public func setAfterReset(_ key: String, _ value: String) throws(EditorError) {
    let path = base + "/" + key
    let label = key.split(separator: "/").last.map(String.init) ?? key
    do {
      let nodes = try tree.augeas.match(path)
      if nodes.count == 2, try text(of: nodes[0]) == nil, try text(of: nodes[1]) == value { return }
      _ = try tree.augeas.remove(path)
      try tree.augeas.set(path, nil)
      try tree.augeas.insert(label, at: path, before: false)
      try tree.augeas.set(path + "[2]/value", value)
    } catch { throw EditorError(error) }
    edited = true
  }

  /// Removes every occurrence of `key`.
  public func remove(_ key: String) throws(EditorError) {
    guard try count(key) > 0 else { return }
    do { _ = try tree.augeas.remove(base + "/" + key) } catch { throw EditorError(error) }
    edited = true
  }

  /// The change of the file, or `nil` when its text stays the same.
  public func pendingChange() throws(EditorError) -> FileChange? {
    guard edited else { return nil }
    let before = exists ? tree.text(of: file) : nil
    let after = try tree.render(file)
    return after == before ? nil : FileChange(path: file, before: before, after: after)
  }

  private var base: String { tree.path(of: file) }

  /// A node's value: a Systemd entry's `value` children joined by a space, or the node's
  /// own value; `nil` for an empty assignment.
  private func text(of node: String) throws(AugeasError) -> String? {
    let children = try tree.augeas.match(node + "/value")
    if children.isEmpty { return try tree.augeas.get(node) }
    var values: [String] = []
    for child in children { values.append(try tree.augeas.get(child) ?? "") }
    return values.joined(separator: " ")
  }

  private func count(_ key: String) throws(EditorError) -> Int {
    do { return try tree.augeas.count(base + "/" + key) } catch { throw EditorError(error) }
  }
}
