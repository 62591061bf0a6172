import Augeas
import RootFS

/// The text of a file virthost owns whole (its modprobe.d, modules-load.d and dracut.conf.d
/// files), made by a shipped lens from a tree that a caller fills, and compared with the file
/// on disk. The one place where those editors build, check and diff their text.
///
/// Not `Sendable`: it owns an `AugeasTree`.
final class OwnedFileText {
  private let tree: AugeasTree
  /// The root read.
  let root: HostRoot

  init(root: HostRoot) throws(EditorError) {
    self.root = root
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw EditorError(error)
    }
  }

  /// The text `lens` renders from a tree holding `header` as its first comment, then what
  /// `fill` sets under the node it is given; read back with the lens before it is returned.
  func render(
    lens: String, header: String, file: String, _ fill: (AugeasTree, String) throws(AugeasError) -> Void
  ) throws(EditorError) -> String {
    let node = "/owned-file"
    do {
      // The header is parsed, not set, so that each lens writes it as a plain `# ` line.
      let original = "# \(header)\n"
      try tree.parseText(original, lens: lens, into: node)
      defer { _ = try? tree.remove(node) }
      try fill(tree, node)
      let text = try tree.renderText(lens: lens, from: node, original: original)
      try tree.parseText(text, lens: lens, into: node)
      return text
    } catch {
      throw EditorError(text: error, file: file)
    }
  }

  /// The labels of the entries (not comments) `lens` reads in `text`, in order.
  func labels(in text: String, lens: String, file: String) throws(EditorError) -> [String] {
    let node = "/owned-read"
    do {
      try tree.parseText(text, lens: lens, into: node)
      defer { _ = try? tree.remove(node) }
      return try tree.children(of: node).map(\.label).filter { !$0.hasPrefix("#") }
    } catch {
      throw EditorError(text: error, file: file)
    }
  }

  /// What `read` finds in the tree `lens` makes of `text`.
  func entries<Result>(
    in text: String, lens: String, file: String, _ read: (AugeasTree, String) throws(AugeasError) -> Result
  ) throws(EditorError) -> Result {
    let node = "/owned-read"
    do {
      try tree.parseText(text, lens: lens, into: node)
      defer { _ = try? tree.remove(node) }
      return try read(tree, node)
    } catch {
      throw EditorError(text: error, file: file)
    }
  }

  /// The text of `path` now, `nil` when it does not exist.
  func current(_ path: String) throws(EditorError) -> String? {
    do {
      return try root.text(path)
    } catch {
      throw EditorError(reading: error)
    }
  }

  /// The change that gives `path` the text `text`; `nil` when it has it already.
  func change(_ path: String, to text: String) throws(EditorError) -> FileChange? {
    let before = try current(path)
    return before == text ? nil : FileChange(path: path, before: before, after: text)
  }
}
