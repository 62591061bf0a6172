extension HostSpec {
  /// The `kvm:` block: options of the KVM modules.
  public struct KVM: Sendable, Equatable {
    /// `nested=1` or `nested=0` for the CPU vendor's module, `nil` when unmanaged.
    public var nested: Bool?
    /// Other options by module (`kvm`, `kvm_intel`, `kvm_amd`), each in file order.
    public var options: [String: [Setting]] = [:]

    /// Creates a KVM block.
    public init(nested: Bool? = nil, options: [String: [Setting]] = [:]) {
      self.nested = nested
      self.options = options
    }
  }

  /// `kvm:`, or `nil` when absent.
  public var kvm: KVM? {
    get { section("kvm") }
    set { sections["kvm"] = newValue }
  }
}

extension HostSpec.KVM: FeatureSection {}
