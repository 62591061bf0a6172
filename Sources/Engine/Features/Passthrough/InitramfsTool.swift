import Editors
import RootFS

/// The program that builds a host's initramfs, which must be rebuilt for `vfio-pci` to take
/// a device before its host driver does at boot: the one the root has, looked for in this order.
enum InitramfsTool: String, CaseIterable {
  /// Debian's and Ubuntu's initramfs-tools.
  case updateInitramfs = "update-initramfs"
  /// Fedora's, RHEL's and SUSE's dracut.
  case dracut
  /// Arch Linux's mkinitcpio.
  case mkinitcpio

  /// The run that rebuilds every installed kernel's initramfs.
  var command: HostCommand {
    switch self {
    case .updateInitramfs: HostCommand(["update-initramfs", "-u", "-k", "all"], role: .afterWrite)
    case .dracut: HostCommand(["dracut", "-f", "--regenerate-all"], role: .afterWrite)
    case .mkinitcpio: HostCommand(["mkinitcpio", "-P"], role: .afterWrite)
    }
  }

  /// The tool under `root` (in ``HostProgram/folders``), `nil` when it has none.
  static func detect(_ root: HostRoot) -> InitramfsTool? {
    allCases.first { HostProgram.find($0.rawValue, in: root) != nil }
  }
}
