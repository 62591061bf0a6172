import HostFacts
import RootFS

extension HostProfile {
  /// The profile of the host at `root`, from its CPU and kernel facts: unknown
  /// facts stay unknown (an unknown vendor, an unknown kernel configuration),
  /// never guessed.
  ///
  /// Reads only what the profile holds: not the boot loader or services facts of
  /// ``HostFacts/gather(root:)``, which the providers read themselves (the boot
  /// loader would otherwise be parsed by Augeas twice per plan).
  public static func read(root: HostRoot) -> HostProfile {
    let cpu = CPUFacts(root: root)
    return HostProfile(cpu: cpu, kernel: KernelFacts(root: root), kvm: KVMFacts(root, cpu: cpu))
  }

  /// The profile made of `facts`.
  public init(facts: HostFacts) {
    self.init(cpu: facts.cpu, kernel: facts.kernel, kvm: facts.kvm)
  }

  /// The profile made of the processors', the running kernel's and KVM's facts.
  public init(cpu: CPUFacts, kernel: KernelFacts, kvm: KVMFacts? = nil) {
    let vendor: Vendor =
      switch cpu.vendor.value {
      case .amd?: .amd
      case .intel?: .intel
      default: .unknown
      }
    var config: [String: String]? = [:]
    for option in Self.configOptions {
      guard let value = kernel.config(option).value else {
        config = nil
        break
      }
      config?[option] = value
    }
    self.init(
      vendor: vendor, hardwareVirtualization: cpu.hardwareVirtualization.value,
      numaNodes: cpu.numaNodes.value ?? 1, kernelConfig: config,
      runningCommandLine: kernel.cmdline.value?.joined(separator: " "), kvmDevice: kvm?.device.value)
  }
}
