/// The udev rules file virthost writes for devices that `passthrough:` selects by address:
/// one rule per device that sets its `driver_override` to `vfio-pci` when the device is added.
///
/// udev runs a rule's `ATTR{…}=` assignments while it processes the rules, and the kernel
/// module load of `80-drivers.rules` (`RUN{builtin}+="kmod load …"`) only after all rules:
/// the host driver's module is loaded, but its probe meets the override and leaves the
/// device alone; `vfio-pci` takes it when it loads. A driver built into the kernel binds at
/// enumeration, before udev runs: for such a device the rule also asks systemd for
/// ``VFIOBindUnit`` (`TAG+="systemd"`, `ENV{SYSTEMD_WANTS}`), which unbinds and reprobes it.
///
/// No Augeas lens reads udev rules, so the file is virthost's own, generated whole and
/// compared whole; ``entries(in:)`` reads back only the lines of the forms written here
/// (the plan and `virthost facts` share it).
public enum VFIOUdevRules {
  /// The rules file. Its name sorts before the distribution's rules (`50-…`, `80-drivers.rules`).
  public static let path = "/etc/udev/rules.d/05-virthost-vfio.rules"

  /// One device's rule.
  public struct Entry: Sendable, Equatable {
    /// The PCI address in sysfs' lower case.
    public var address: String
    /// Whether the rule also starts ``VFIOBindUnit`` (the host driver is built in).
    public var unbinds: Bool

    /// Creates an entry.
    public init(address: String, unbinds: Bool) {
      self.address = address
      self.unbinds = unbinds
    }
  }

  /// The text for `entries` (addresses are hex digits, `:` and `.`: no quoting needed).
  public static func text(_ entries: [Entry]) -> String {
    var lines = [
      "# Written by virthost (passthrough): vfio-pci takes these PCI devices by address, before",
      "# their host drivers probe them. Generated whole (no Augeas lens reads udev rules).",
    ]
    lines += entries.map(rule)
    return lines.joined(separator: "\n") + "\n"
  }

  /// The rules in `text` that have exactly a form ``text(_:)`` writes, in order.
  public static func entries(in text: String) -> [Entry] {
    text.split(separator: "\n").compactMap { line in
      guard line.hasPrefix(prefix), let end = line.dropFirst(prefix.count).firstIndex(of: "\"") else { return nil }
      let address = String(line[line.index(line.startIndex, offsetBy: prefix.count)..<end])
      guard ModuleOptionRules.isAddress(address) else { return nil }
      for unbinds in [false, true] where rule(Entry(address: address, unbinds: unbinds)) == line {
        return Entry(address: address, unbinds: unbinds)
      }
      return nil
    }
  }

  private static let prefix = "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\""

  private static func rule(_ entry: Entry) -> String {
    prefix + entry.address + "\", ATTR{driver_override}=\"vfio-pci\""
      + (entry.unbinds
        ? ", TAG+=\"systemd\", ENV{SYSTEMD_WANTS}+=\"\(VFIOBindUnit.name(entry.address))\"" : "")
  }
}
