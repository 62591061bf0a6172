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
  private let text: OwnedFileText

  /// Opens the editor on `root`.
  public init(root: HostRoot) throws(EditorError) {
    text = try OwnedFileText(root: root)
  }

  /// The change that makes `path` hold `header` as a comment and `force_drivers` extended by
  /// `forceDrivers`; `nil` when it holds that already.
  public func change(_ path: String, header: String, forceDrivers: [String]) throws(EditorError) -> FileChange? {
    let value = "\"${force_drivers} \(forceDrivers.joined(separator: " ")) \""
    let new = try text.render(lens: Self.lens, header: header, file: path) { (tree, node) throws(AugeasError) in
      try tree.set("\(node)/force_drivers", value)
    }
    return try text.change(path, to: new)
  }
}
