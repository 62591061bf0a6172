/// One observed value together with where it came from.
///
/// A fact is either known (`value` is set, `unknown` is `nil`) or unknown (`value`
/// is `nil`, `unknown` says why: "/boot/config-2.6.32 not found"). A fact never
/// holds a guess: when the source cannot be read, the fact is unknown.
///
/// In JSON a fact is always the object `{"value": …, "source": "…", "unknown": …}`
/// with all three keys present (`null` when absent), so that scripts can rely on them.
public struct Fact<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
  /// The value, or `nil` when the fact is unknown.
  public var value: Value?
  /// Where the value was read: a path from the root (`/proc/cpuinfo`), or, for a value
  /// computed from several sources, those sources joined in words.
  public var source: String
  /// Why the fact is unknown (`/boot/config-2.6.32 not found`), or `nil` when it is known.
  public var unknown: String?

  /// A known fact: `value`, read from `source`.
  public static func known(_ value: Value, source: String) -> Fact {
    Fact(value: value, source: source, unknown: nil)
  }

  /// An unknown fact: `source` could not tell, for `reason`.
  public static func unknown(_ reason: String, source: String) -> Fact {
    Fact(value: nil, source: source, unknown: reason)
  }

  /// The same fact with its value transformed; an unknown fact stays unknown with its reason.
  public func map<Other>(_ transform: (Value) -> Other) -> Fact<Other> {
    Fact<Other>(value: value.map(transform), source: source, unknown: unknown)
  }

  private enum CodingKeys: String, CodingKey {
    case value, source, unknown
  }

  /// Writes all three keys, `null` included, so that the JSON schema does not change
  /// shape between a known and an unknown fact.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(value, forKey: .value)
    try container.encode(source, forKey: .source)
    try container.encode(unknown, forKey: .unknown)
  }
}
