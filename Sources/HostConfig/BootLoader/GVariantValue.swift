/// A serialized GVariant, read for the few types ostree's staged-deployment file holds
/// (`a{sv}`, `as`, `a{ss}`, `s`, `v`), little-endian as ostree writes it on x86 and arm64.
///
/// The rules are GLib's (`glib/gvariant-serialiser.c`): a string is its bytes and a NUL; a
/// variant is its value, a NUL and the value's type string; an array of variable-size
/// elements is the elements, each aligned, then one framing offset per element (its end); a
/// dict entry of two variable-size members is the key, the value aligned, then the key's end
/// as a framing offset. A framing offset is 1, 2, 4 or 8 bytes as the container's size needs.
/// Never writes; a value that breaks the rules reads as `nil`.
struct GVariantValue {
  /// The value's bytes.
  let bytes: ArraySlice<UInt8>

  init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

  /// The width of a framing offset in a container of `size` bytes.
  private static func offsetSize(_ size: Int) -> Int {
    size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffff_ffff ? 4 : 8
  }

  /// The little-endian offset of `width` bytes at `index`.
  private func offset(at index: Int, width: Int) -> Int {
    var value = 0
    for byte in (0..<width).reversed() { value = value << 8 | Int(bytes[index + byte]) }
    return value
  }

  /// `s`: the bytes before the closing NUL.
  var string: String? {
    guard let last = bytes.last, last == 0 else { return nil }
    return String(decoding: bytes.dropLast(), as: UTF8.self)
  }

  /// `v`: the type string after the last NUL, and the value before it.
  var variant: (type: String, value: GVariantValue)? {
    guard let nul = bytes.lastIndex(of: 0) else { return nil }
    return (String(decoding: bytes[(nul + 1)...], as: UTF8.self), GVariantValue(bytes[bytes.startIndex..<nul]))
  }

  /// An array of variable-size elements aligned to `alignment`: each element's bytes.
  func elements(alignment: Int) -> [GVariantValue]? {
    let size = bytes.count
    guard size > 0 else { return [] }
    let width = Self.offsetSize(size)
    let start = bytes.startIndex
    guard size >= width else { return nil }
    let table = offset(at: start + size - width, width: width)
    guard table <= size - width, (size - table) % width == 0 else { return nil }
    var result: [GVariantValue] = []
    var begin = 0
    for index in stride(from: table, to: size, by: width) {
      let end = offset(at: start + index, width: width)
      begin = (begin + alignment - 1) / alignment * alignment
      guard begin <= end, end <= table else { return nil }
      result.append(GVariantValue(bytes[(start + begin)..<(start + end)]))
      begin = end
    }
    return result
  }

  /// A dict entry of a string key and a variable-size value aligned to `alignment`.
  func entry(valueAlignment alignment: Int) -> (key: String, value: GVariantValue)? {
    let size = bytes.count
    let width = Self.offsetSize(size)
    let start = bytes.startIndex
    guard size >= width else { return nil }
    let keyEnd = offset(at: start + size - width, width: width)
    guard keyEnd >= 1, keyEnd <= size - width else { return nil }
    let valueStart = (keyEnd + alignment - 1) / alignment * alignment
    guard valueStart <= size - width, let key = GVariantValue(bytes[start..<(start + keyEnd)]).string else {
      return nil
    }
    return (key, GVariantValue(bytes[(start + valueStart)..<(start + size - width)]))
  }

  /// `a{sv}`: each key's variant.
  var vardict: [String: (type: String, value: GVariantValue)]? {
    guard let entries = elements(alignment: 8) else { return nil }
    var result: [String: (type: String, value: GVariantValue)] = [:]
    for element in entries {
      guard let (key, value) = element.entry(valueAlignment: 8), let variant = value.variant else { return nil }
      result[key] = variant
    }
    return result
  }

  /// `as`: the strings.
  var strings: [String]? {
    guard let elements = elements(alignment: 1) else { return nil }
    var result: [String] = []
    for element in elements {
      guard let string = element.string else { return nil }
      result.append(string)
    }
    return result
  }

  /// `a{ss}`: each key's string.
  var stringDict: [String: String]? {
    guard let elements = elements(alignment: 1) else { return nil }
    var result: [String: String] = [:]
    for element in elements {
      guard let (key, value) = element.entry(valueAlignment: 1), let string = value.string else { return nil }
      result[key] = string
    }
    return result
  }
}
