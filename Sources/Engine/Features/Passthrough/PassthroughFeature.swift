import HostConfig
import Yams

/// `passthrough: {devices, host_drivers, blacklist}`: the devices handed to vfio-pci at boot
/// (``PassthroughProvider``); it needs the IOMMU on and the host's own devices untranslated,
/// which the kernel-arguments sink turns on unless `iommu` or `iommu_passthrough` say otherwise.
enum PassthroughFeature: Feature {
  static let keys = ["passthrough"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.passthrough = reader.passthrough(value)
  }

  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { spec.passthrough == nil ? [] : [.nextKernel] }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let passthrough = expansion.spec.passthrough else { return [] }
    wants.iommuRequests.append(
      .init(origin: "passthrough", passthroughReason: "passthrough (the host's own devices untranslated)"))
    let kernel = expansion.nextKernel ?? PassthroughKernel.unknown
    if kernel.vfioPCIBuiltIn, !passthrough.selectedIDs.isEmpty {
      // A built-in vfio-pci reads no modprobe.d file: its ids come from the command line.
      let ids = passthrough.selectedIDs
      wants.iommuArguments.append(
        .init(
          argument: KernelArgument(key: "vfio-pci.ids", value: ids.joined(separator: ",")), present: true,
          origin: "passthrough",
          reason:
            "passthrough selects \(ids.joined(separator: ", ")) by IDs, and vfio-pci is built into the next kernel"
        ))
    }
    return [PassthroughProvider(passthrough: passthrough, kernel: kernel)]
  }
}
