/// The name of one resource in a plan, with one canonical string form:
/// `kernel_args["all"]`, `file["/etc/ksmtuned.conf"]`, `service["ksmtuned"]`,
/// `sysctl["kernel.numa_balancing"]`, `sysfs["/sys/kernel/mm/ksm/run"]`.
///
/// Two addresses are equal exactly when their canonical forms are equal.
public struct ResourceAddress: Sendable, Hashable, Comparable, TextCoded {
  /// The kinds of resource the engine manages.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// The arguments of the boot loader's kernel lines; the name is an entry selection (`all`, `default`).
    case kernelArgs = "kernel_args"
    /// A whole file; the name is its path from the root.
    case file
    /// A service's enablement at boot and, on a live host, its running state; the name is the service.
    case service
    /// A persistent sysctl setting; the name is the key (`vm.swappiness`).
    case sysctl
    /// A live value under `/sys` or `/proc/sys`, written as a plain file; the name is its path.
    case sysfs
    /// A generated boot-loader configuration that its sources no longer match, while the
    /// sources themselves need no change ("pending regeneration"): the name is the file
    /// the boot loader reads (`/boot/grub/grub.cfg`). Its only step is the plan's
    /// ``Plan/regeneration``, which only a live host runs.
    case bootLoaderRegeneration = "boot_loader_regeneration"
    /// Initramfs images older than the files they must carry (virthost's vfio files), while the
    /// files need no change ("pending regeneration"): the name is the tool
    /// (`update-initramfs`), whose run is the only step, and only a live host runs it.
    case initramfsRegeneration = "initramfs_regeneration"
    /// A kernel module of the running kernel; the name is the module (`vhost_net`).
    case kernelModule = "kernel_module"
    /// A running daemon that must start again to read files this plan writes (libvirt's QEMU
    /// driver: qemu.conf, a new hugetlbfs mount); the name is its unit (`libvirtd.service`).
    case daemonRestart = "daemon_restart"
    /// A libvirt domain's definition (`guests:`); the name is the domain.
    case domain
  }

  /// The kind of resource.
  public var kind: Kind
  /// Which one of that kind.
  public var name: String

  /// Creates the address `kind["name"]`.
  public init(_ kind: Kind, _ name: String) {
    self.kind = kind
    self.name = name
  }

  /// Parses a canonical form such as `service["ksm"]`; `nil` when `text` is not one.
  public init?(parsing text: String) {
    guard let open = text.firstIndex(of: "["), text.hasSuffix("\"]"),
      let kind = Kind(rawValue: String(text[..<open]))
    else { return nil }
    let quoted = text[text.index(after: open)..<text.index(text.endIndex, offsetBy: -1)]
    guard quoted.count >= 2, quoted.first == "\"" else { return nil }
    var name = ""
    var escaped = false
    for character in quoted.dropFirst().dropLast() {
      if escaped {
        name.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "\"" {
        return nil
      } else {
        name.append(character)
      }
    }
    if escaped { return nil }
    self.init(kind, name)
  }

  /// The canonical form: the kind, then the name in double quotes and brackets,
  /// with `"` and `\` in the name escaped by a backslash.
  public var description: String {
    var quoted = ""
    for character in name {
      if character == "\"" || character == "\\" { quoted.append("\\") }
      quoted.append(character)
    }
    return "\(kind.rawValue)[\"\(quoted)\"]"
  }

  /// Orders by canonical form.
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}
