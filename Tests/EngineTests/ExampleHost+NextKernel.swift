import Foundation
import TestSupport

extension ExampleHost {
  /// Makes `release` the kernel the next boot starts on a GRUB 2 example
  /// (`numa-pinned`, `gpu-passthrough`): its only `/boot/vmlinuz-*` renamed, and the
  /// generated grub.cfg's entries naming it, as the kernel's install would leave them
  /// after `update-grub`.
  func bootNext(_ release: String) throws {
    let boot = root.path + "/boot"
    for name in try FileManager.default.contentsOfDirectory(atPath: boot) where name.hasPrefix("vmlinuz-") {
      let old = String(name.dropFirst("vmlinuz-".count))
      if old == release { continue }
      try FileManager.default.moveItem(atPath: "\(boot)/\(name)", toPath: "\(boot)/vmlinuz-\(release)")
      let cfg = try root.text("/boot/grub/grub.cfg")
      try root.write("/boot/grub/grub.cfg", cfg.replacingOccurrences(of: old, with: release))
    }
  }
}
