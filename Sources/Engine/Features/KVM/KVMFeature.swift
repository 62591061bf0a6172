import Yams

/// `kvm: {nested, options}`: the KVM modules' options in virthost's modprobe.d file (``KVMOptionsProvider``).
enum KVMFeature: Feature {
  static let keys = ["kvm"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.kvm = reader.kvm(value)
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let kvm = expansion.spec.kvm, kvm.nested != nil || !kvm.options.isEmpty else { return [] }
    return [KVMOptionsProvider(kvm: kvm)]
  }
}
