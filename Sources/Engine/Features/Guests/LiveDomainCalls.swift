import Libvirt

/// The flag the calls on a running guest pass: `VIR_DOMAIN_AFFECT_LIVE`, so that a guest that
/// stopped meanwhile is refused rather than its definition changed. libvirt's test driver
/// (`test:` URIs) accepts no flag but `VIR_DOMAIN_AFFECT_CURRENT`, which for a running guest
/// is the same instance.
enum LiveDomainCalls {
  /// The impact of a call on a running guest of the libvirt at `uri`.
  static func impact(_ uri: String) -> LibvirtImpact { uri.hasPrefix("test:") ? .current : .live }
}
