/// A plan value whose JSON form is its one canonical string (`description`), read back
/// with `init?(parsing:)`: addresses, digests, observation sources.
///
/// Conforming gives the value its `Codable`: a string, and a decoding error that quotes
/// any text that is not one.
public protocol TextCoded: Codable, CustomStringConvertible {
  /// The value `text` (as `description` writes it) stands for, or `nil`.
  init?(parsing text: String)
}

extension TextCoded {
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = Self(parsing: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a \(Self.self)"))
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
