/// HMAC-SHA-256 (RFC 2104, FIPS 198-1), how virthost authenticates the state it writes
/// (``SealedState``); Foundation on Linux has no CryptoKit.
public enum HMAC {
  /// The block size of SHA-256, in bytes.
  static let blockSize = 64

  /// The 32-byte authentication code of `message` under `key`.
  public static func sha256(key: [UInt8], message: some Collection<UInt8>) -> [UInt8] {
    var block = key.count > blockSize ? SHA256.digest(key) : key
    block += [UInt8](repeating: 0, count: blockSize - block.count)
    let inner = SHA256.digest(block.map { $0 ^ 0x36 } + message)
    return SHA256.digest(block.map { $0 ^ 0x5c } + inner)
  }

  /// Whether `a` and `b` are equal, compared in a time that does not depend on where they differ.
  public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
  }
}
