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
  private let tree: AugeasTree
  private var planned: [String: String] = [:]
  private var originals: [String: String?] = [:]

  /// Opens the editor on `root`.
  public init(root: HostRoot) throws(EditorError) {
    self.root = root
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw EditorError(error)
    }
  }

  /// Plans `path` (under `/etc/modprobe.d`) to hold `header` as a comment, then `lines`.
  /// - Throws: ``EditorError`` when the current file cannot be read or the lens refuses the text.
  public func set(_ path: String, header: String, lines: [ModprobeLine]) throws(EditorError) {
    let node = "/modprobe-new"
    let text: String
    do {
      try tree.set(node, nil)
      defer { _ = try? tree.remove(node) }
      try tree.set("\(node)/#comment", header)
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
      text = try tree.renderText(lens: ModprobeConfiguration.lens, from: node, original: "")
    } catch {
      throw EditorError(text: error, file: path)
    }
    try plan(text, for: path)
  }

  /// The configuration as kmod would read it with the planned texts.
  public func configuration() throws(EditorError) -> ModprobeConfiguration {
    try ModprobeConfiguration(root: root, planned: planned)
  }

  /// The planned files whose text changes, with their text before and after.
  public func pendingChanges() -> [FileChange] {
    planned.keys.sorted().compactMap { path in
      let before = originals[path] ?? nil
      return planned[path] == before ? nil : FileChange(path: path, before: before, after: planned[path])
    }
  }

  private func plan(_ text: String, for path: String) throws(EditorError) {
    if originals[path] == nil {
      do {
        originals[path] = .some(try root.text(path))
      } catch {
        throw EditorError(reading: error)
      }
    }
    planned[path] = text
    _ = try configuration()
  }
}
