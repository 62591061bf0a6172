/// Whether a file's bytes are text that can be parsed, and where they stop being it: the
/// first byte that is not part of valid UTF-8, or a NUL byte (which libaugeas, given a C
/// string, would take for the end of the text).
public enum TextBytes {
  /// The offset of the first byte of `bytes` that is not part of valid UTF-8, or nil.
  public static func firstInvalidUTF8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .error: return offset
      case .emptyInput: return nil
      }
    }
  }

  /// The 1-based line and column of the byte at `offset` in `bytes`.
  public static func position<Bytes: Collection<UInt8>>(of offset: Int, in bytes: Bytes) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for byte in bytes.prefix(offset) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }

  /// The 1-based line and column of the first CR that ends a line (CRLF, DOS line ends), or nil.
  public static func firstCRLF<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> (line: Int, column: Int)? {
    var previous: UInt8?
    for (offset, byte) in bytes.enumerated() {
      if byte == UInt8(ascii: "\n"), previous == UInt8(ascii: "\r") { return position(of: offset - 1, in: bytes) }
      previous = byte
    }
    return nil
  }

  /// Why `bytes` are not text, placed at the offending byte (`not UTF-8 text (byte 0xFF)`,
  /// `holds a NUL byte: not a text file`); nil when they are UTF-8 text without NUL.
  public static func problem<Bytes: Collection<UInt8>>(in bytes: Bytes) -> (line: Int, column: Int, message: String)? {
    let invalid = firstInvalidUTF8(bytes)
    let nul = bytes.firstIndex(of: 0).map { bytes.distance(from: bytes.startIndex, to: $0) }
    guard let offset = [invalid, nul].compactMap({ $0 }).min() else { return nil }
    let (line, column) = position(of: offset, in: bytes)
    let byte = bytes[bytes.index(bytes.startIndex, offsetBy: offset)]
    let message =
      byte == 0 && offset == nul
      ? "holds a NUL byte: not a text file" : "not UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)))"
    return (line, column, message)
  }
}
