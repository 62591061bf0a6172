import HostConfig

extension HostSpec {
  /// The `passthrough:` block: PCI devices handed to guests through `vfio-pci`.
  public struct Passthrough: Sendable, Equatable {
    /// The devices, each by address (`0000:01:00.0`) or by IDs (`10de:1b80`), as written.
    public var devices: [String] = []
    /// The host drivers that must not take the devices first (`softdep <driver> pre: vfio-pci`).
    public var hostDrivers: [String] = []
    /// The host drivers never loaded at all (`blacklist <driver>`).
    public var blacklist: [String] = []

    /// Creates a passthrough block.
    public init(devices: [String] = [], hostDrivers: [String] = [], blacklist: [String] = []) {
      self.devices = devices
      self.hostDrivers = hostDrivers
      self.blacklist = blacklist
    }

    /// The IDs selectors (`10de:1b80`), in lower case, each once, in order: what `vfio-pci ids=` binds.
    public var selectedIDs: [String] {
      devices.filter(ModuleOptionRules.isIDs).map { $0.lowercased() }.reduce(into: []) {
        if !$0.contains($1) { $0.append($1) }
      }
    }

    /// The address selectors (`0000:01:00.0`), in lower case, each once, in order: bound by address.
    public var selectedAddresses: [String] {
      devices.filter(ModuleOptionRules.isAddress).map { $0.lowercased() }.reduce(into: []) {
        if !$0.contains($1) { $0.append($1) }
      }
    }
  }

  /// `passthrough:`, or `nil` when absent.
  public var passthrough: Passthrough? {
    get { section("passthrough") }
    set { sections["passthrough"] = newValue }
  }
}

extension HostSpec.Passthrough: FeatureSection {}
