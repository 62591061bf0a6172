import RootFS

/// Nested virtualization: whether KVM lets guests run hypervisors of their own, from the
/// `nested` parameter of the loaded vendor module.
public struct NestedFacts: Sendable, Codable, Equatable {
  /// The vendor module whose parameter was read: `kvm_intel` or `kvm_amd`; unknown when
  /// neither is loaded (its `/sys/module/<module>/parameters` folder absent).
  public var module: Fact<String>
  /// Whether nesting is on (`Y` or `1`); the default from kernel 4.20 (Intel) and 4.x (AMD).
  public var enabled: Fact<Bool>

  static let modules = ["kvm_intel", "kvm_amd"]

  init(_ root: HostRoot) {
    let paths = Self.modules.map { "/sys/module/\($0)/parameters/nested" }
    guard let index = paths.firstIndex(where: { root.exists($0) }) else {
      let reason = "neither kvm_intel nor kvm_amd is loaded (\(paths.joined(separator: ", ")) not found)"
      module = .unknown(reason, source: "/sys/module")
      enabled = .unknown(reason, source: paths.joined(separator: ", "))
      return
    }
    module = .known(Self.modules[index], source: paths[index])
    enabled = root.switchFact(paths[index])
  }
}
