import RootFS

extension BootLoaderKind {
  /// Which boot loader configuration `root` holds.
  ///
  /// GRUB legacy: one of `/boot/grub/menu.lst`, `/boot/grub/grub.conf`,
  /// `/etc/grub.conf`, `/boot/efi/EFI/*/grub.conf`. BLS: entries in
  /// `/boot/loader/entries` and either no `/etc/default/grub` (systemd-boot)
  /// or `GRUB_ENABLE_BLSCFG=true` in it; a Proxmox host (it has
  /// `/etc/kernel/proxmox-boot-uuids`) whose ESPs `proxmox-boot-tool` boots with
  /// systemd-boot, from `/etc/kernel/cmdline`, whatever else it has. GRUB 2:
  /// `/etc/default/grub` otherwise, and on a Proxmox host whose ESPs boot with GRUB
  /// (``ProxmoxBoot``).
  /// - Throws: when none is found, or several (a leftover `menu.lst` beside
  ///   `/etc/default/grub`, BLS entries that GRUB is not told to read…),
  ///   naming the files found: pass the kind explicitly then; on a Proxmox host, when the
  ///   ESPs' boot loader cannot be told or differs between them (``ProxmoxBoot/mode()``).
  public static func detect(in root: HostRoot) throws(ConfigFileError) -> BootLoaderKind {
    // proxmox-boot-tool keeps the ESPs in step: with systemd-boot from /etc/kernel/cmdline
    // (/etc/default/grub is installed there but not what boots), with GRUB from
    // /etc/default/grub (/etc/kernel/cmdline is ignored then).
    if let proxmox = ProxmoxBoot.read(root) {
      switch try proxmox.mode() {
      case .grub:
        guard root.isFile(Grub2.defaultsName) else {
          throw ConfigFileError(
            file: Grub2.defaultsName,
            message:
              "not found, but proxmox-boot-tool boots the ESPs with GRUB (\(proxmox.esps[0].decidedBy)), which reads it"
          )
        }
        return .grub2
      case .systemdBoot:
        guard root.isFile(BLS.kernelCmdlineName) else {
          throw ConfigFileError(
            file: BLS.kernelCmdlineName,
            message:
              "not found, but proxmox-boot-tool boots the ESPs with systemd-boot (\(proxmox.esps[0].decidedBy)) "
              + "and takes their command line from it (else from the running kernel's /proc/cmdline): "
              + "create it with the command line the host boots with")
        }
        return .bls
      }
    }
    var found: [(BootLoaderKind, String)] = []
    let legacy = GrubLegacy.names(root).filter { root.isFile($0) }
    if !legacy.isEmpty { found.append((.grubLegacy, legacy.joined(separator: ", "))) }
    let defaults = root.realFiles([Grub2.defaultsName]).first
    let entries = BLS.entryNames(root).filter { root.isFile($0) }
    let blscfg = defaults.map { Grub2.enablesBLS((try? root.text($0)) ?? nil) } ?? false
    let folder = entries.first.map(BLS.folder(of:)) ?? ""
    if !entries.isEmpty && (defaults == nil || blscfg) {
      found.append((.bls, "\(counted(entries.count, "entry", plural: "entries")) in \(folder)"))
    } else if let defaults {
      found.append((.grub2, defaults))
      if !entries.isEmpty {
        found.append(
          (
            .bls,
            "\(counted(entries.count, "entry", plural: "entries")) in \(folder) (but GRUB_ENABLE_BLSCFG is not true)"
          ))
      }
    }
    if found.count == 1 { return found[0].0 }
    if found.isEmpty {
      throw ConfigFileError(
        message:
          "no boot loader configuration found under \(root.path): looked for GRUB legacy (/boot/grub/menu.lst, /boot/grub/grub.conf, /etc/grub.conf, /boot/efi/EFI/*/grub.conf), GRUB 2 (/etc/default/grub) and BLS entries (/boot/loader/entries/*.conf)"
      )
    }
    let list = found.map { "\($0.0.rawValue) (\($0.1))" }.joined(separator: "; ")
    throw ConfigFileError(
      message: "several boot loader configurations found under \(root.path): \(list); say which one to edit")
  }
}
