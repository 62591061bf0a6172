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
  private let text: OwnedFileText

  /// Opens the editor on `root`.
  public init(root: HostRoot) throws(EditorError) {
    text = try OwnedFileText(root: root)
  }

  /// The change that makes `path` hold `header` as a comment, then `modules`, one a line; `nil`
  /// when it holds that already.
  /// - Throws: ``EditorError`` when the file cannot be read or the lens refuses the text.
  public func change(_ path: String, header: String, modules: [String]) throws(EditorError) -> FileChange? {
    let new = try text.render(lens: Self.lens, header: header, file: path) { (tree, node) throws(AugeasError) in
      for module in modules { try tree.set("\(node)/\(module)", nil) }
    }
    return try text.change(path, to: new)
  }

  /// The modules `text` lists, in order (comments left out), as the Modules lens reads them.
  public func modules(in text: String, file: String) throws(EditorError) -> [String] {
    try self.text.labels(in: text, lens: Self.lens, file: file)
  }
}
