import Foundation

/// The digests a plan keeps of what it read and what it will write.
public enum Digest {
  /// `sha256:` and the hex SHA-256 of `data`, or `absent` for `nil`.
  public static func of(_ data: Data?) -> String {
    guard let data else { return "absent" }
    return "sha256:" + SHA256.hex(data)
  }

  /// The digest of a text's UTF-8 bytes.
  public static func of(_ text: String?) -> String { of(text.map { Data($0.utf8) }) }
}
