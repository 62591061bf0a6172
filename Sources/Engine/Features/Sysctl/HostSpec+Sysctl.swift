extension HostSpec {
  /// `sysctl:`, in file order.
  struct SysctlList: FeatureSection, Equatable {
    var settings: [Setting]
  }

  /// `sysctl:`, in file order; empty when absent.
  public var sysctl: [Setting] {
    get { (section("sysctl") as SysctlList?)?.settings ?? [] }
    set { sections["sysctl"] = newValue.isEmpty ? nil : SysctlList(settings: newValue) }
  }
}
