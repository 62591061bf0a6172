import Yams

/// `iommu: on | off` and `iommu_passthrough: true | false`: the vendor's IOMMU argument
/// (`amd_iommu=` or `intel_iommu=`) and `iommu=pt`, through the kernel-arguments sink,
/// which also turns the IOMMU on for the keys that need it.
enum IOMMUFeature: Feature {
  static let keys = ["iommu", "iommu_passthrough"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    if key == "iommu" {
      spec.iommu = reader.choice(value, key, HostSpec.IOMMU.self) ?? .unmanaged
    } else {
      spec.iommuPassthrough = reader.bool(value, key)
    }
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    let spec = expansion.spec
    wants.iommu = spec.iommu
    wants.iommuPassthrough = spec.iommuPassthrough
    if spec.iommu == .on { wants.kvmKeys.append("iommu") }
    let profile = expansion.profile
    if spec.iommu == .on, let key = profile.iommuKey {
      let option = key == "amd_iommu" ? "CONFIG_AMD_IOMMU" : "CONFIG_INTEL_IOMMU"
      if profile.kernelLacks(option) {
        expansion.diagnostics.append(
          Diagnostic(
            .warning, .kernelWithoutIOMMU, "the kernel is built without \(option): \(key)=on will have no effect",
            detail: "The argument is added anyway; it takes effect with a kernel that has \(option).",
            keyPath: "iommu"))
      }
    }
    return []
  }
}
