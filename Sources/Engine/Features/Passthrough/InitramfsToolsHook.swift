import HostConfig

/// The initramfs-tools hook virthost writes for `passthrough:` where `update-initramfs`
/// builds the initramfs: it puts the vfio modules into the image and loads them first
/// (`force_load` of initramfs-tools' hook-functions writes them to the image's
/// `conf/modules`). Without it a driver the initramfs carries (a NIC's, a storage
/// controller's) binds its device in early userspace: the `softdep … pre: vfio-pci` that
/// the image's modprobe.d holds cannot load a vfio-pci the image lacks, and modprobe goes
/// on without it. dracut gets the same from `force_drivers`.
///
/// A hook is a shell program (initramfs-tools runs the executable files of
/// `/etc/initramfs-tools/hooks`), not a configuration file: no lens reads it, so its text
/// is virthost's own and compared whole.
enum InitramfsToolsHook {
  /// The hook's file; executable.
  static let path = "/etc/initramfs-tools/hooks/virthost-vfio"
  static let mode = 0o755

  /// The hook's text for `modules` (module names: letters, digits and `_`, no quoting needed);
  /// with `rules`, it also copies ``VFIOUdevRules`` into the image, whose udev then keeps
  /// every host driver the image carries off the devices selected by address.
  static func text(_ modules: [String], rules: Bool = false) -> String {
    var lines = [
      "#!/bin/sh",
      "# Written by virthost (passthrough): the vfio modules go into the initramfs and load first,",
      "# so that vfio-pci takes the devices before their host drivers do.",
      "PREREQ=\"\"",
      "prereqs() { echo \"$PREREQ\"; }",
      "case \"$1\" in",
      "prereqs) prereqs; exit 0 ;;",
      "esac",
      ". /usr/share/initramfs-tools/hook-functions",
    ]
    lines += modules.map { "force_load \($0)" }
    if rules {
      lines += [
        "mkdir -p \"${DESTDIR}/etc/udev/rules.d\"",
        "cp -p \(VFIOUdevRules.path) \"${DESTDIR}/etc/udev/rules.d/\"",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
