import Foundation
import RootFS

extension NextBootEntry {
  /// GRUB 2 (`/etc/default/grub`, a generated grub.cfg): the menu of the first grub.cfg
  /// GRUB reads, and its default as the header resolves it at boot: grubenv's `next_entry`
  /// (one boot only) when the header honours it, else the configured default, grubenv's
  /// `saved_entry` for `GRUB_DEFAULT=saved`.
  static func fromGrub2(_ root: HostRoot) throws(ConfigFileError) -> Reading {
    let locations = Grub2GeneratedConfig.locations(in: root)
    guard let file = locations.files.first else {
      if let unread = locations.unread.first { return .unknown(unread) }
      if let mounted = locations.readOffRoot.first {
        return .unknown(
          "\(mounted.file) was read from its ESP mounted read-only, without the grubenv beside it "
            + "(grub-reboot's next_entry, saved_entry): the next boot's entry is read from an ESP under the root only")
      }
      return .unknown("no generated grub.cfg (/boot/grub/grub.cfg, /boot/grub2/grub.cfg) to read the menu from")
    }
    let text: String?
    do { text = try root.text(file) } catch { throw ConfigFileError(error, reading: file) }
    let menu = GrubMenu(text: text ?? "")
    // On a Proxmox ESP, GRUB's prefix is the ESP's grub folder: its grubenv is beside grub.cfg.
    let envNames =
      locations.proxmox == nil ? GrubEnv.names : [(file as NSString).deletingLastPathComponent + "/grubenv"]
    let grubEnv =
      root.realFiles(envNames).isEmpty
      ? nil : try GrubEnv.read(root, augeas: BootConfigTree(root: root, files: []).augeas, names: envNames)
    let (value, decidedBy) = grub2Default(menu, file: file, grubEnv: grubEnv)
    let item: GrubMenu.Item
    do { item = try menu.entry(for: value) } catch {
      return .unknown("\(file): \(error.message) (\(decidedBy))")
    }
    let kernel = item.image.flatMap(release(ofImage:))
    return .found(
      NextBootEntry(
        title: item.title, kernel: kernel, image: kernel == nil ? .other : .linux, file: file, decidedBy: decidedBy))
  }

  /// The default value GRUB 2's header ends with, and what set it, in words.
  static func grub2Default(_ menu: GrubMenu, file: String, grubEnv: GrubEnv?) -> (String, String) {
    let env = grubEnv?.file ?? "grubenv"
    if menu.honoursNextEntry, let next = grubEnv?.value("next_entry"), !next.isEmpty {
      return (next, "next_entry=\(next) in \(env) (one boot only)")
    }
    guard let configured = menu.configuredDefault else {
      return ("0", "no default in \(file): the first entry")
    }
    if configured.value == "${saved_entry}" {
      let saved = grubEnv?.value("saved_entry") ?? ""
      if saved.isEmpty { return ("0", "GRUB_DEFAULT=saved with no saved_entry in \(env): the first entry") }
      return (saved, "GRUB_DEFAULT=saved, saved_entry=\(saved) in \(env)")
    }
    return (configured.value, "GRUB_DEFAULT=\(configured.value) (\(file) line \(configured.line))")
  }
}
