import Foundation
import RootFS

/// A digest a plan keeps of what it read or will write: the SHA-256 of the bytes,
/// or that there were none.
///
/// Its string form (`sha256:…`, `absent`, `not rendered`) is what the plan file and the
/// renderers show; ``init(parsing:)`` reads it back.
public enum Digest: Sendable, Hashable, TextCoded {
  /// Nothing was there (a file that does not exist), or nothing will be.
  case absent
  /// The SHA-256 of the bytes, as 64 lowercase hex digits.
  case sha256(String)
  /// The new bytes of a file were not rendered (``Planner/rendersFiles`` off).
  case notRendered

  /// The digest of `data`, or ``absent`` for `nil`.
  public init(of data: Data?) {
    self = data.map { .sha256(SHA256.hex($0)) } ?? .absent
  }

  /// The digest of a text's UTF-8 bytes, or ``absent`` for `nil`.
  public init(of text: String?) {
    self.init(of: text.map { Data($0.utf8) })
  }

  /// The digest of the bytes `data`, or ``absent`` for `nil`.
  public static func of(_ data: Data?) -> Digest { Digest(of: data) }

  /// The digest written as `description` shows it; `nil` for any other text.
  public init?(parsing text: String) {
    switch text {
    case "absent": self = .absent
    case "not rendered": self = .notRendered
    default:
      let hex = text.dropFirst("sha256:".count)
      guard text.hasPrefix("sha256:"), hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
      self = .sha256(String(hex))
    }
  }

  /// `sha256:…`, `absent` or `not rendered`.
  public var description: String {
    switch self {
    case .absent: "absent"
    case .sha256(let hex): "sha256:" + hex
    case .notRendered: "not rendered"
    }
  }
}
