import RootFS

/// The Linux lines of one grub.cfg that `grub-mkconfig` generated: what today's boot
/// entries carry, against which the evaluated defaults (the next regeneration's
/// source) are compared.
///
/// No Augeas lens reads grub.cfg: GRUB 2's configuration is a shell-like script
/// (`menuentry … {`, `if`, functions), and Grub.lns is GRUB legacy's `menu.lst`. Only
/// the lines `grub-mkconfig`'s Linux templates write are read here, word by word:
/// `linux`, `linux16` and `linuxefi` (10_linux) and, in Xen entries, the `module`,
/// `module2` or `xen_module` line (20_linux_xen), each of a `vmlinu*` or `kernel-*`
/// image, inside a `### BEGIN /etc/grub.d/*_linux ###` or `*_linux_xen` section when
/// the file has such markers. Nothing is ever written to it.
public struct Grub2GeneratedConfig: Sendable, Equatable {
  /// Which entries a Linux line belongs to.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// Normal entries: `GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT`.
    case normal
    /// Recovery entries: `single GRUB_CMDLINE_LINUX`.
    case recovery
    /// Xen dom0 normal entries (the `…_XEN_REPLACE*` variables replace the others when not empty).
    case xenNormal = "xen normal"
    /// Xen dom0 recovery entries.
    case xenRecovery = "xen recovery"
  }

  /// One Linux line.
  public struct LinuxLine: Sendable, Equatable {
    /// The 1-based line number.
    public var line: Int
    /// The entries it belongs to.
    public var kind: Kind
    /// Its arguments after the kernel image, `root=`, `ro` and the boot loader's own words included.
    public var arguments: [KernelArgument]
  }

  /// The file, a real path from the root.
  public var file: String
  /// Its Linux lines, in order.
  public var lines: [LinuxLine]

  /// The grub.cfg files GRUB 2 reads under `root` (real paths; stubs that only
  /// `configfile` another one left out): `/boot/grub2/grub.cfg`, `/boot/grub/grub.cfg`
  /// and each `/boot/efi/EFI/*/grub.cfg`. Empty when there is none.
  public static func files(in root: HostRoot) -> [String] {
    let names =
      ["/boot/grub2/grub.cfg", "/boot/grub/grub.cfg"] + root.subfolders("/boot/efi/EFI").map { $0 + "/grub.cfg" }
    return root.realFiles(names).filter { file in
      // A grub.cfg that cannot be read is regenerated all the same.
      guard let text = (try? root.text(file)) ?? nil else { return true }
      return !isStub(text)
    }
  }

  /// A grub.cfg that only hands over to another one (`configfile`), with no entry.
  public static func isStub(_ text: String) -> Bool {
    let words = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap {
      $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
    }
    return words.contains("configfile") && !words.contains("menuentry") && !words.contains("blscfg")
  }

  /// Reads the Linux lines of `text`, the content of `file`.
  public init(file: String, text: String) {
    self.file = file
    var lines: [LinuxLine] = []
    var title = ""
    // The template that wrote a line (`### BEGIN /etc/grub.d/10_linux ###`): only the Linux
    // templates' lines come from the defaults; memtest86+, os-prober and custom entries do not.
    var section: String?
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      guard let command = words.first else { continue }
      if words.count == 4, words[0] == "###", words[3] == "###", words[1] == "BEGIN" || words[1] == "END" {
        section = words[1] == "BEGIN" ? String(words[2].split(separator: "/").last ?? "") : ""
        continue
      }
      if command == "menuentry" {
        title = String(line)
        continue
      }
      if let section, !section.hasSuffix("_linux") && !section.hasSuffix("_linux_xen") { continue }
      let image = words.count > 1 ? String(words[1].split(separator: "/").last ?? "") : ""
      guard image.hasPrefix("vmlinu") || image.hasPrefix("kernel-") else { continue }
      let linux = ["linux", "linux16", "linuxefi"].contains(command)
      let xen = ["module", "module2", "xen_module"].contains(command)
      guard linux || xen else { continue }
      let arguments = words.dropFirst(2).map { KernelArgument(word: $0) }
      let recovery = title.contains("(recovery mode)") || arguments.contains { $0.key == "single" && $0.value == nil }
      let kind: Kind = xen ? (recovery ? .xenRecovery : .xenNormal) : (recovery ? .recovery : .normal)
      lines.append(LinuxLine(line: offset + 1, kind: kind, arguments: arguments))
    }
    self.lines = lines
  }
}
