/// The document `virthost facts --format json` prints: the facts, the readiness checks,
/// and the schema version, documented in docs/facts.md.
///
/// Scripts can decode it with `JSONDecoder` (keys are snake_case, set by each type's
/// coding keys). `schemaVersion` changes whenever a key is renamed or removed or a
/// value changes meaning; adding a key does not change it.
public struct FactsReport: Sendable, Codable, Equatable {
  /// The version of this document's schema.
  public static let currentSchemaVersion = 1

  /// The version of the schema this document follows.
  public var schemaVersion: Int
  /// The root directory the facts were read under, as given.
  public var root: String
  /// The facts.
  public var facts: HostFacts
  /// The readiness checks, in `HostFacts.checks` order.
  public var checks: [ReadinessCheck]
  /// The libvirt domains defined under `/etc/libvirt/qemu`, by name, with their placement;
  /// `nil` (absent from the JSON) when the root has no such folder. Filled by the command,
  /// which reads the definitions with Augeas's Xml.lns.
  public var guests: [DomainPlacement]?

  /// The report of `facts`, read under `root`, with their checks.
  public init(root: String, facts: HostFacts) {
    self.schemaVersion = Self.currentSchemaVersion
    self.root = root
    self.facts = facts
    self.checks = facts.checks
  }

  /// Whether a check failed: the command's exit status is non-zero exactly then.
  public var hasFailure: Bool { checks.contains { $0.level == .fail } }

  private enum CodingKeys: String, CodingKey {
    case schemaVersion = "schema_version"
    case root, facts, checks, guests
  }
}
