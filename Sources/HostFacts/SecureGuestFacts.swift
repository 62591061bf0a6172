import RootFS

/// Secure (confidential) guests: AMD SEV, SEV-ES and SEV-SNP, and Intel TDX, as the CPU flags,
/// the KVM module parameters and AMD's secure-processor device show them.
public struct SecureGuestFacts: Sendable, Codable, Equatable {
  /// Which of `sev`, `sev_es`, `sev_snp` (AMD) and `tdx_host_platform` (Intel) the CPU shows.
  public var cpuFlags: Fact<[String]>
  /// `kvm_amd.sev`: KVM offers SEV guests. Unknown when `kvm_amd` is not loaded or was built
  /// without SEV (the parameter file absent).
  public var sev: Fact<Bool>
  /// `kvm_amd.sev_es`: KVM offers SEV-ES guests (encrypted register state).
  public var sevES: Fact<Bool>
  /// `kvm_amd.sev_snp`: KVM offers SEV-SNP guests (integrity protection; kernel 6.11 and later).
  public var sevSNP: Fact<Bool>
  /// Whether `/dev/sev` exists: the firmware enabled SEV and the `ccp` driver runs it.
  public var sevDevice: Fact<Bool>
  /// `kvm_intel.tdx`: KVM offers TDX guests (kernel 6.16 and later).
  public var tdx: Fact<Bool>

  private enum CodingKeys: String, CodingKey {
    case cpuFlags = "cpu_flags"
    case sev
    case sevES = "sev_es"
    case sevSNP = "sev_snp"
    case sevDevice = "sev_device"
    case tdx
  }

  static let flagNames = ["sev", "sev_es", "sev_snp", "tdx_host_platform"]
  static let amdParameters = "/sys/module/kvm_amd/parameters"
  static let tdxParameter = "/sys/module/kvm_intel/parameters/tdx"

  init(_ root: HostRoot, cpu: CPUFacts, devices: DeviceNodeFacts) {
    cpuFlags = cpu.flags.map { flags in Self.flagNames.filter { flags.contains($0) } }
    sev = root.switchFact("\(Self.amdParameters)/sev")
    sevES = root.switchFact("\(Self.amdParameters)/sev_es")
    sevSNP = root.switchFact("\(Self.amdParameters)/sev_snp")
    sevDevice = devices.sev.present
    tdx = root.switchFact(Self.tdxParameter)
  }
}
