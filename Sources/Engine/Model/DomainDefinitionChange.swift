/// One libvirt domain defined anew by `guests:`: its XML before and after, as libvirt holds
/// it (``xml``'s path is where it was read, shown in the diff, never written).
public struct DomainDefinitionChange: Sendable, Equatable {
  /// The domain.
  public var name: String
  /// The definition's text before and after, for the diff; the bytes libvirt would be given.
  public var xml: FileOperation
  /// Why apply does not define it here (`define on the host`), said in the plan and the apply.
  public var refusal: String

  /// Creates a change.
  public init(name: String, xml: FileOperation, refusal: String) {
    self.name = name
    self.xml = xml
    self.refusal = refusal
  }
}
