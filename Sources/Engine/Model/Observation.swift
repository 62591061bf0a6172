/// Something a plan read from the host, with a digest of what it read: a file's
/// bytes, a service's state, a live value, the host's facts.
///
/// A saved plan keeps them; applying it refuses when any has changed.
public struct Observation: Sendable, Equatable, Codable {
  /// What was read: `file /etc/ksmtuned.conf`, `service ksm`, `sysfs /sys/kernel/mm/ksm/run`, `facts`.
  public var source: String
  /// `sha256:…` of what was read, or `absent`.
  public var digest: String

  /// Creates an observation.
  public init(source: String, digest: String) {
    self.source = source
    self.digest = digest
  }
}
