/// One libvirt domain defined anew by `guests:`: its XML before and after, as libvirt holds
/// it (``xml``'s path is where libvirt keeps the definition, shown in the diff, never written).
public struct DomainDefinitionChange: Sendable, Equatable {
  /// The domain.
  public var name: String
  /// The definition's text before and after, for the diff; the bytes libvirt is given.
  public var xml: FileOperation
  /// Where apply defines it, or why it cannot here.
  public var target: DomainTarget

  /// Creates a change.
  public init(name: String, xml: FileOperation, target: DomainTarget) {
    self.name = name
    self.xml = xml
    self.target = target
  }

  /// Why apply does not define it here (`define on the host`); `nil` when it does.
  public var refusal: String? {
    if case .refused(let reason) = target { reason } else { nil }
  }
}

/// Where a domain's definition goes at apply: libvirt's API at a URI (`qemu:///system` on the
/// live root), or nowhere, with the reason (another root: `define on the host`).
public enum DomainTarget: Sendable, Equatable {
  /// libvirt at `uri`, through `virDomainDefineXML` and, for a running guest, the live calls.
  case libvirt(uri: String)
  /// Not defined by this apply, for `reason`.
  case refused(String)
}
