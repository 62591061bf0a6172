import Foundation

/// Whether a file's bytes are text that can be parsed, and where they stop being it:
/// the first byte that is not part of valid UTF-8, or a NUL byte (which Augeas, given
/// a C string, would take for the end of the text).
public enum TextBytes {
  /// The offset of the first byte of `data` that is not part of valid UTF-8, or nil.
  public static func firstInvalidUTF8(_ data: Data) -> Int? {
    var iterator = data.makeIterator()
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

  /// The 1-based line and column of the byte at `offset` in `data`.
  public static func position(of offset: Int, in data: Data) -> (line: Int, column: Int) {
    let before = data.prefix(offset)
    let line = before.count { $0 == UInt8(ascii: "\n") } + 1
    let start = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
    return (line, before.distance(from: start, to: before.endIndex) + 1)
  }

  /// Why `data` is not text, placed at the offending byte (`not UTF-8 text (byte 0xFF)`,
  /// `holds a NUL byte`); nil when it is UTF-8 text without NUL.
  public static func problem(in data: Data) -> (line: Int, column: Int, message: String)? {
    let invalid = firstInvalidUTF8(data)
    let nul = data.firstIndex(of: 0).map { data.distance(from: data.startIndex, to: $0) }
    guard let offset = [invalid, nul].compactMap({ $0 }).min() else { return nil }
    let (line, column) = position(of: offset, in: data)
    let byte = data[data.index(data.startIndex, offsetBy: offset)]
    let message =
      byte == 0 && offset == nul
      ? "holds a NUL byte: not a text file" : "not UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)))"
    return (line, column, message)
  }
}
