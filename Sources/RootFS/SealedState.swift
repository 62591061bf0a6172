/// A state file virthost wrote and can authenticate: its payload (JSON) inside an envelope
/// that names the format version, what the file is, and an HMAC-SHA-256 of both, made with
/// this machine's ``StateKey`` and bound to the root the state is about:
///
/// ```
/// {"format_version":2,"kind":"converged-trace","mac":"hmac-sha256:<64 hex>","payload":{…}}
/// ```
///
/// The envelope is valid JSON (for `jq`), but it is read back only in exactly the layout
/// ``seal(_:kind:version:root:key:)`` writes, so the authenticated bytes are the payload's
/// own bytes, never a re-encoding. A payload copied to another root, or sealed with another
/// key, does not authenticate.
public struct SealedState: Sendable, Equatable {
  /// The format version the envelope names.
  public var version: Int
  /// What the file is (`converged-trace`, `backup-manifest`).
  public var kind: String
  /// The payload's bytes, as written.
  public var payload: [UInt8]
  /// Whether the MAC is right for this machine's key and this root.
  public var isAuthentic: Bool

  /// The bytes of a file holding `payload`.
  public static func seal(_ payload: [UInt8], kind: String, version: Int, root: HostRoot, key: StateKey) -> [UInt8] {
    let mac = SHA256.hex(bytes: key.mac(message(payload, kind: kind, version: version, root: root)))
    let header = #"{"format_version":\#(version),"kind":"\#(kind)","mac":"hmac-sha256:\#(mac)","payload":"#
    return Array(header.utf8) + payload + Array("}\n".utf8)
  }

  /// The envelope in `bytes`, checked against `key` (none: not authentic) for `root`;
  /// `nil` when `bytes` is not an envelope in the layout ``seal(_:kind:version:root:key:)``
  /// writes (a file of an older format, or not virthost's).
  public static func open(_ bytes: [UInt8], root: HostRoot, key: StateKey?) -> SealedState? {
    let start = Array(#"{"format_version":"#.utf8)
    let end = Array("}\n".utf8)
    guard bytes.starts(with: start), bytes.count > start.count + end.count, bytes.suffix(2).elementsEqual(end) else {
      return nil
    }
    let marker = Array(#","payload":"#.utf8)
    guard let split = firstIndex(of: marker, in: bytes) else { return nil }
    let header = String(decoding: bytes[start.count..<split], as: UTF8.self)
    // 2,"kind":"converged-trace","mac":"hmac-sha256:<hex>"
    let fields = header.split(separator: "\"", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 9, fields[1] == "kind", fields[2] == ":", fields[4] == ",", fields[5] == "mac",
      fields[6] == ":", fields[8].isEmpty, let version = Int(fields[0].dropLast()), fields[0].hasSuffix(","),
      fields[7].hasPrefix("hmac-sha256:"),
      let mac = StateKey.bytes(ofHex: Array(fields[7].dropFirst("hmac-sha256:".count).utf8)), mac.count == 32
    else { return nil }
    let kind = fields[3]
    let payload = Array(bytes[(split + marker.count)..<(bytes.count - end.count)])
    let expected = key?.mac(message(payload, kind: kind, version: version, root: root))
    return SealedState(
      version: version, kind: kind, payload: payload, isAuthentic: expected.map { HMAC.equal($0, mac) } ?? false)
  }

  /// What the MAC covers: the format, the kind, the root and the payload.
  private static func message(_ payload: [UInt8], kind: String, version: Int, root: HostRoot) -> [UInt8] {
    Array("virthost \(kind) \(version) root=\(root.path)\n".utf8) + payload
  }

  private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
    guard bytes.count >= needle.count else { return nil }
    for index in 0...(bytes.count - needle.count) where bytes[index] == needle[0] {
      if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
    }
    return nil
  }
}
