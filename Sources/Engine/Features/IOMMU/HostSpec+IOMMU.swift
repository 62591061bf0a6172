extension HostSpec {
  /// What `iommu:` asks for.
  public enum IOMMU: String, Sendable, CaseIterable {
    /// `amd_iommu=on` or `intel_iommu=on`, by CPU vendor.
    case on
    /// `amd_iommu=off` or `intel_iommu=off`, by CPU vendor.
    case off
    /// The kernel lines' IOMMU arguments are left as they are.
    case unmanaged
  }

  /// `iommu:`; `.unmanaged` when absent.
  public var iommu: IOMMU {
    get { section("iommu") ?? .unmanaged }
    set { sections["iommu"] = newValue == .unmanaged ? nil : newValue }
  }
  /// `iommu_passthrough:`: `true` adds `iommu=pt`, `false` removes it, `nil` leaves it.
  public var iommuPassthrough: Bool? {
    get { section("iommu_passthrough") }
    set { sections["iommu_passthrough"] = newValue }
  }
}

extension HostSpec.IOMMU: FeatureSection {}
extension Bool: FeatureSection {}
