import Foundation
import RootFS

/// The entry the boot loader starts at the next boot, and what chose it.
///
/// One reader for every boot loader virthost edits (GRUB 2's generated menu, BLS entries
/// read by GRUB's `blscfg` or by systemd-boot, GRUB legacy's `menu.lst`): every decision
/// that depends on the next boot's kernel (the per-node huge page form, the `isolcpus`
/// flags, built-in modules, passthrough's host driver) takes the kernel from here, and
/// `facts` shows the entry with its decider.
public struct NextBootEntry: Sendable, Codable, Equatable {
  /// What the entry starts.
  public enum Image: String, Sendable, Codable, Equatable {
    /// A Linux kernel image whose command line the boot loader passes.
    case linux
    /// A unified kernel image (a type 2 entry, or a type 1 entry's `uki` key): its command
    /// line is built into the signed image, and no boot-loader file virthost edits reaches it.
    case uki
    /// Something else (a chainloaded EFI program, a Xen hypervisor, an entry without a kernel).
    case other
  }

  /// The entry's title (its id or file name when it has none).
  public var title: String
  /// The kernel release the entry boots (`6.1.0-28-amd64`), from its image's name
  /// (`vmlinuz-<release>`) or its BLS `version`; `nil` when neither tells.
  public var kernel: String?
  /// What the entry starts.
  public var image: Image
  /// The file that defines the entry (a real path from the root).
  public var file: String
  /// What chose the entry, in words: `GRUB_DEFAULT=0 in /boot/grub/grub.cfg`,
  /// `next_entry in /boot/grub/grubenv (one boot only)`, `default in /boot/efi/loader/loader.conf`…
  public var decidedBy: String

  private enum CodingKeys: String, CodingKey {
    case title, kernel, image, file
    case decidedBy = "decided_by"
  }

  /// Creates an entry.
  public init(title: String, kernel: String?, image: Image, file: String, decidedBy: String) {
    self.title = title
    self.kernel = kernel
    self.image = image
    self.file = file
    self.decidedBy = decidedBy
  }

  /// The kernel release in the name of `image` (`/boot/vmlinuz-6.1.0-28-amd64` →
  /// `6.1.0-28-amd64`), for the names kernel packages install; `nil` for another name.
  public static func release(ofImage image: String) -> String? {
    let name = (image as NSString).lastPathComponent
    for prefix in ["vmlinuz-", "vmlinux-", "kernel-"] where name.hasPrefix(prefix) && name.count > prefix.count {
      return String(name.dropFirst(prefix.count))
    }
    return nil
  }
}

extension NextBootEntry {
  /// The outcome of reading the next boot's entry.
  public enum Reading: Sendable, Equatable {
    /// The entry was found.
    case found(NextBootEntry)
    /// The files do not tell, for this reason (no generated menu, a default that names no entry…).
    case unknown(String)
  }

  /// Reads the entry the boot loader under `root` starts next (see ``Reading``).
  public static func read(_ root: HostRoot) -> Reading {
    let kind: BootLoaderKind
    do { kind = try BootLoaderKind.detect(in: root) } catch { return .unknown(error.message) }
    do {
      switch kind {
      case .grub2: return try fromGrub2(root)
      case .bls: return try fromBLS(root)
      case .grubLegacy: return try fromGrubLegacy(root)
      }
    } catch {
      return .unknown(error.description)
    }
  }
}
