import Augeas
import RootFS

/// Plans a dracut.conf.d file that virthost owns whole (`/etc/dracut.conf.d/virthost-vfio.conf`):
/// `force_drivers="${force_drivers} MODULES "`, which makes dracut put the modules into the
/// initramfs and load them first, even host-only. The text is made and read back by the shipped
/// Shellvars lens (dracut sources these files as shell); the lens cannot read `+=`, so the
/// assignment extends the value read before instead, which the shell does the same way.
///
/// Never writes. Not `Sendable`: it owns an `AugeasTree`.
public final class DracutConfEditor {
  /// The lens of dracut.conf files.
  public static let lens = "Shellvars.lns"
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

  /// The change that makes `path` hold `header` as a comment and `force_drivers` extended by
  /// `forceDrivers`; `nil` when it holds that already.
  public func change(_ path: String, header: String, forceDrivers: [String]) throws(EditorError) -> FileChange? {
    let node = "/dracut-new"
    let text: String
    do {
      try tree.set(node, nil)
      defer { _ = try? tree.remove(node) }
      try tree.set("\(node)/#comment", header)
      try tree.set("\(node)/force_drivers", "\"${force_drivers} \(forceDrivers.joined(separator: " ")) \"")
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
}
