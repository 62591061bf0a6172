import HostFacts

extension HostProfile {
  /// The profile of the host at `root`, from ``HostFacts``: unknown facts stay
  /// unknown (an unknown vendor, an unknown kernel configuration), never guessed.
  public static func read(root: String) -> HostProfile {
    HostProfile(facts: HostFacts.gather(root: root))
  }

  /// The profile made of `facts`.
  public init(facts: HostFacts) {
    let vendor: Vendor =
      switch facts.cpu.vendor.value {
      case .amd?: .amd
      case .intel?: .intel
      default: .unknown
      }
    var config: [String: String]? = [:]
    for option in Self.configOptions {
      guard let value = facts.kernel.config(option).value else {
        config = nil
        break
      }
      config?[option] = value
    }
    self.init(
      vendor: vendor, hardwareVirtualization: facts.cpu.hardwareVirtualization.value,
      numaNodes: facts.cpu.numaNodes.value ?? 1, kernelConfig: config,
      runningCommandLine: facts.kernel.cmdline.value?.joined(separator: " "))
  }
}
