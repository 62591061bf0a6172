import Augeas
import RootFS

/// Plans a modules-load.d file that virthost owns whole (`/etc/modules-load.d/virthost-vfio.conf`,
/// read by systemd-modules-load at boot, and by Debian's `/etc/init.d/kmod`): one module per
/// line, the text made and read back by the shipped Modules lens.
///
/// Never writes. Not `Sendable`: it owns an `AugeasTree`.
public final class ModulesLoadEditor {
  /// The lens of modules-load.d files and of `/etc/modules`.
  public static let lens = "Modules.lns"
  /// The root read.
  public let root: HostRoot
  private let tree: AugeasTree

  /// Opens the editor on `root`.
  public init(root: HostRoot) throws(EditorError) {
    self.root = root
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw EditorError(error)
    }
  }

  /// The change that makes `path` hold `header` as a comment, then `modules`, one a line; `nil`
  /// when it holds that already.
  /// - Throws: ``EditorError`` when the file cannot be read or the lens refuses the text.
  public func change(_ path: String, header: String, modules: [String]) throws(EditorError) -> FileChange? {
    let node = "/modules-new"
    let text: String
    do {
      try tree.set(node, nil)
      defer { _ = try? tree.remove(node) }
      try tree.set("\(node)/#comment", header)
      for module in modules { try tree.set("\(node)/\(module)", nil) }
      text = try tree.renderText(lens: Self.lens, from: node, original: "")
      try tree.parseText(text, lens: Self.lens, into: node)
    } catch {
      throw EditorError(text: error, file: path)
    }
    let before: String?
    do {
      before = try root.text(path)
    } catch {
      throw EditorError(reading: error)
    }
    return before == text ? nil : FileChange(path: path, before: before, after: text)
  }

  /// The modules `text` lists, in order (comments left out), as the Modules lens reads them.
  public func modules(in text: String, file: String) throws(EditorError) -> [String] {
    let node = "/modules-read"
    do {
      try tree.parseText(text, lens: Self.lens, into: node)
      defer { _ = try? tree.remove(node) }
      return try tree.children(of: node).map(\.label).filter { !$0.hasPrefix("#") }
    } catch {
      throw EditorError(text: error, file: file)
    }
  }
}
