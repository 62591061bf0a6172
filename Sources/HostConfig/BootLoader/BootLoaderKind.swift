/// The boot loader configuration a root uses.
public enum BootLoaderKind: String, Sendable, Codable {
  /// GRUB 0.97: `/boot/grub/menu.lst`, `grub.conf` (CentOS/RHEL ≤ 6).
  case grubLegacy = "grub-legacy"
  /// GRUB 2 configured through `/etc/default/grub` and a generated grub.cfg.
  case grub2
  /// Boot Loader Specification entries, `/boot/loader/entries/*.conf` (RHEL 8/9, Fedora).
  case bls
}
