/// One boot entry and its kernel arguments, as the boot-loader readers find them.
///
/// For GRUB 2 the entries are generated, so the readers report summaries of
/// `/etc/default/grub` and its drop-ins, evaluated as `grub-mkconfig` sources them,
/// instead: index 0, the normal entries (`GRUB_CMDLINE_LINUX` then
/// `GRUB_CMDLINE_LINUX_DEFAULT`, marked default), index 1, the recovery entries
/// (`GRUB_CMDLINE_LINUX` only) and, when a `GRUB_CMDLINE_LINUX_XEN_REPLACE*` variable
/// is not empty, index 2 and 3, the Xen dom0 normal and recovery entries.
public struct BootEntry: Sendable, Equatable {
  /// The entry's title.
  public var title: String
  /// The file that holds it, a real path from the root.
  public var file: String
  /// The 0-based position of the entry in its file (legacy), in boot menu order (BLS).
  public var index: Int
  /// Whether the boot loader starts this entry by default.
  public var isDefault: Bool
  /// The kernel arguments, in order (empty for an entry without a kernel line).
  public var arguments: [KernelArgument]
  /// The hypervisor the entry boots first when its Linux kernel is a Xen dom0 (GRUB
  /// legacy's `kernel /xen.gz…` with Linux on the first `module` line); `nil` otherwise.
  /// ``arguments`` are then dom0's, from the `module` line.
  public var hypervisor: String?

  /// Creates an entry.
  public init(
    title: String, file: String, index: Int, isDefault: Bool, arguments: [KernelArgument], hypervisor: String? = nil
  ) {
    self.title = title
    self.file = file
    self.index = index
    self.isDefault = isDefault
    self.arguments = arguments
    self.hypervisor = hypervisor
  }
}
