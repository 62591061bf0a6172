import HostFacts

/// What the engine needs to know about the host to plan: the facts behind its
/// preconditions and its choices (which IOMMU argument, whether KSM can merge across nodes).
///
/// Made from `HostFacts`; a saved plan keeps a digest of it, so a plan made on
/// other hardware or another kernel is refused.
public struct HostProfile: Sendable, Equatable, Codable {
  /// The CPU maker, which decides between `amd_iommu` and `intel_iommu`.
  public enum Vendor: String, Sendable, Codable {
    /// AuthenticAMD.
    case amd
    /// GenuineIntel.
    case intel
    /// Anything else, or no `/proc/cpuinfo`.
    case unknown
  }

  /// The CPU maker.
  public var vendor: Vendor
  /// Whether the CPU offers hardware virtualization (the `svm` or `vmx` flag);
  /// `nil` when `/proc/cpuinfo` does not tell.
  public var hardwareVirtualization: Bool?
  /// The number of NUMA nodes (1 when the host shows none).
  public var numaNodes: Int
  /// The kernel configuration values the engine checks (`CONFIG_KSM` → `y`), or
  /// `nil` when the running kernel's configuration could not be read.
  public var kernelConfig: [String: String]?
  /// The running kernel's command line, or `nil` when unknown.
  public var runningCommandLine: String?
  /// Whether `/dev/kvm` exists; `nil` when the root has no `/dev` to tell (kept out of the
  /// saved digest then, so that plans saved before it existed stay valid).
  public var kvmDevice: Bool?

  /// Whether KVM guests can run here, judged as `virthost facts` judges it.
  public var kvm: KVMAvailability {
    let flag: String? = hardwareVirtualization.map { $0 ? "svm or vmx" : "" }
    return KVMAvailability.judge(flag: flag, device: kvmDevice, kernelLacksKVM: kernelLacks("CONFIG_KVM"))
  }

  /// Creates a profile.
  public init(
    vendor: Vendor, hardwareVirtualization: Bool?, numaNodes: Int, kernelConfig: [String: String]?,
    runningCommandLine: String?, kvmDevice: Bool? = nil
  ) {
    self.vendor = vendor
    self.hardwareVirtualization = hardwareVirtualization
    self.numaNodes = numaNodes
    self.kernelConfig = kernelConfig
    self.runningCommandLine = runningCommandLine
    self.kvmDevice = kvmDevice
  }

  /// The configuration options whose values are kept.
  public static let configOptions = ["CONFIG_KVM", "CONFIG_KSM", "CONFIG_AMD_IOMMU", "CONFIG_INTEL_IOMMU"]

  /// Whether the kernel configuration is known to lack `option` (neither `y` nor `m`).
  /// `false` when the configuration is unknown.
  public func kernelLacks(_ option: String) -> Bool {
    guard let kernelConfig else { return false }
    return !["y", "m"].contains(kernelConfig[option] ?? "n")
  }

  /// The `vendor_iommu` argument key for this CPU, or `nil` for an unknown vendor.
  public var iommuKey: String? {
    switch vendor {
    case .amd: "amd_iommu"
    case .intel: "intel_iommu"
    case .unknown: nil
    }
  }
}
