import HostConfig

/// virthost's systemd mount unit for one hugetlbfs page size (`hugepages.mounts: auto`).
///
/// Written whole, as ``HugePagesUnit`` is, not edited through a lens: the file is virthost's own
/// (its first line says so, and only such a file is replaced or removed), made entirely from the
/// plan, so there is no administrator's line or comment to keep in place; Augeas's `Systemd.lns`
/// would only add a parse of bytes virthost wrote itself.
enum HugetlbfsMountUnit {
  /// The first line of every unit virthost writes for a mount: how its own are told from others'.
  static let header = "# Written by virthost (hugepages.mounts: auto);"

  /// The QEMU driver's daemons, in either mode: the mount is made before they start, since
  /// libvirt reads `/proc/mounts` for hugetlbfs mounts only when its daemon starts.
  static let before = "sysinit.target libvirtd.service virtqemud.service"

  /// The unit's text for `mount`.
  static func text(_ mount: HugetlbfsMount) -> String {
    [
      "\(header) removed when the \(mount.sizeText) pool goes.",
      "[Unit]",
      "Description=Huge pages of \(mount.sizeText) for QEMU guests (hugetlbfs, virthost)",
      "Documentation=https://docs.kernel.org/admin-guide/mm/hugetlbpage.html",
      "DefaultDependencies=no",
      "Before=\(before)",
      "ConditionPathExists=/sys/kernel/mm/hugepages/hugepages-\(mount.sizeKiB)kB",
      "",
      "[Mount]",
      "What=hugetlbfs",
      "Where=\(mount.path)",
      "Type=hugetlbfs",
      "Options=\(mount.options)",
      "",
      "[Install]",
      "WantedBy=sysinit.target",
      "",
    ].joined(separator: "\n")
  }

  /// Whether `bytes` are a unit virthost wrote.
  static func isVirthosts(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array(header.utf8)) }
}
