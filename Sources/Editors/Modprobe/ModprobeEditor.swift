import Augeas
import HostConfig
import RootFS

/// Plans modprobe.d files that virthost owns whole (`/etc/modprobe.d/virthost-vfio.conf`): their
/// text is made by the shipped Modprobe lens from ``ModprobeLine``s, and the root's whole modprobe
/// configuration is read again with it (``ModprobeConfiguration``), as kmod would read it.
///
/// Never writes; not for files of other owners, which it only reads.
/// Not `Sendable`: it owns an `AugeasTree`.
public final class ModprobeEditor {
  /// The root read.
  public let root: HostRoot
  private let text: OwnedFileText
  private var planned: [String: String] = [:]

  /// Opens the editor on `root`.
  public init(root: HostRoot) throws(EditorError) {
    self.root = root
    text = try OwnedFileText(root: root)
  }

  /// Plans `path` (under `/etc/modprobe.d`) to hold `header` as a comment, then `lines`.
  /// - Throws: ``EditorError`` when the current file cannot be read or the lens refuses the text.
  public func set(_ path: String, header: String, lines: [ModprobeLine]) throws(EditorError) {
    planned[path] = try text.render(lens: ModprobeConfiguration.lens, header: header, file: path) {
      (tree, node) throws(AugeasError) in
      let entry = "\(node)/*[last()]"
      for line in lines {
        switch line {
        case .options(let module, let parameters):
          try tree.set("\(node)/options[last()+1]", module)
          for parameter in parameters { try tree.set("\(entry)/\(parameter.name)", parameter.value) }
        case .softdep(let module, let pre):
          try tree.set("\(node)/softdep[last()+1]", module)
          for (offset, name) in pre.enumerated() { try tree.set("\(entry)/pre[\(offset + 1)]", name) }
        case .blacklist(let module):
          try tree.set("\(node)/blacklist[last()+1]", module)
        }
      }
    }
    _ = try configuration()
  }

  /// The configuration as kmod would read it with the planned texts.
  public func configuration() throws(EditorError) -> ModprobeConfiguration {
    try ModprobeConfiguration(root: root, planned: planned)
  }

  /// The planned files whose text changes, with their text before and after.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    var changes: [FileChange] = []
    for path in planned.keys.sorted() {
      if let change = try text.change(path, to: planned[path]!) { changes.append(change) }
    }
    return changes
  }
}
