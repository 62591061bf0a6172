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
  /// The libvirt domains, by name, with their placement: on the live host through libvirt's
  /// API (with where a running guest runs), else the definitions under `/etc/libvirt/qemu`
  /// read with Augeas's Xml.lns; `nil` (absent from the JSON) when there are neither. Filled
  /// by the command.
  public var guests: [DomainPlacement]?
  /// On the live host, why libvirt's API could not be read and `guests` come from the files
  /// (whether each runs is then not known); `nil` otherwise.
  public var guestsUnread: String?

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
    case guestsUnread = "guests_unread"
  }
}
