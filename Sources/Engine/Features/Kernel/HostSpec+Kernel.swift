import HostConfig

extension HostSpec {
  /// The `kernel:` block.
  public struct Kernel: Sendable, Equatable {
    /// The entries whose kernel lines are edited (`kernel.entries`).
    public var entries: EntrySelection = .all
    /// Arguments every selected kernel line must have (`key` or `key=value`), checked.
    public var present: [KernelArgument] = []
    /// Arguments no selected kernel line may have, checked.
    public var absent: [KernelArgument] = []

    /// Creates a kernel block.
    public init(entries: EntrySelection = .all, present: [KernelArgument] = [], absent: [KernelArgument] = []) {
      self.entries = entries
      self.present = present
      self.absent = absent
    }
  }

  /// `kernel:`, or `nil` when absent.
  public var kernel: Kernel? {
    get { section("kernel") }
    set { sections["kernel"] = newValue }
  }
}

extension HostSpec.Kernel: FeatureSection {}
