import HostConfig

/// What a request means on a Xen dom0 entry: Linux arguments go on dom0's `module` line,
/// but the IOMMU is the hypervisor's (Xen owns it and hides it from dom0), so `amd_iommu=`
/// and `intel_iommu=` there do nothing; Xen's own `iommu=` on its `kernel /xen.gz…` line
/// does. Not an edit: the editor never puts Linux arguments on the hypervisor's line.
public enum XenDom0Advice {
  /// The keys that are the hypervisor's business on a dom0.
  public static let hypervisorKeys: Set<String> = ["amd_iommu", "intel_iommu"]

  /// One sentence per Xen entry among `entries` that `request` gives a hypervisor key.
  public static func warnings(_ entries: [BootEntry], _ request: KernelArgsRequest) -> [String] {
    let keys = request.present.filter { hypervisorKeys.contains($0.key) }
    guard !keys.isEmpty else { return [] }
    let shown = keys.map(\.description).joined(separator: " ")
    return entries.compactMap { entry in
      guard let hypervisor = entry.hypervisor else { return nil }
      return
        "\(shown) on the dom0 of '\(entry.title)' (\(entry.file)) is ineffective: under Xen the IOMMU is the hypervisor's; set iommu= on its line (kernel \(hypervisor))"
    }
  }
}
