/// The group libvirt's QEMU driver runs guests as, which a hugetlbfs mount's root is given to.
public enum QemuGroup {
  /// The group when qemu.conf sets none: the build's default, as the shipped qemu.conf documents
  /// it (Debian 12: `#group = "libvirt-qemu"`; Fedora and RHEL build with `qemu`).
  public static func packageDefault(_ family: DistributionFamily?) -> String {
    family == .debian ? "libvirt-qemu" : "qemu"
  }

  /// The number of the group `name` in the text of an `/etc/group` file; `nil` when absent.
  public static func gid(_ name: String, in group: String) -> UInt32? {
    for line in group.split(separator: "\n") {
      let fields = line.split(separator: ":", omittingEmptySubsequences: false)
      if fields.count >= 3, fields[0] == name { return UInt32(fields[2]) }
    }
    return nil
  }
}
