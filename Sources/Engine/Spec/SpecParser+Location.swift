import Yams

extension SpecParser {
  /// Where the key `keyPath` (`ksm.settings`, `sysctl.kernel.numa_balancing`, or a list item
  /// named by its text, `passthrough.devices.10de:1b80`) stands
  /// in the desired-state `text`, for a problem found after parsing (while planning);
  /// nil when the text does not hold it.
  public static func location(of keyPath: String, in text: String, file: String) -> SourceLocation? {
    guard var node = try? Yams.compose(yaml: text, resolver) else { return nil }
    var remaining = Substring(keyPath)
    var found: Node?
    while !remaining.isEmpty, let sequence = node.sequence ?? (node.mapping == nil ? nil : []) {
      if !sequence.isEmpty {
        // A list item is named by its text (`passthrough.devices.0000:01:00.0`).
        let item = sequence.compactMap { item -> (node: Node, text: String)? in
          guard let text = item.string, remaining == text || remaining.hasPrefix(text + ".") else { return nil }
          return (item, text)
        }.max { $0.text.count < $1.text.count }
        guard let item else { break }
        found = item.node
        node = item.node
        remaining = remaining.dropFirst(item.text.count).drop { $0 == "." }
        continue
      }
      guard let mapping = node.mapping else { break }
      // Keys may hold dots themselves (sysctl names): the longest key that matches wins.
      let match = mapping.compactMap { pair -> (key: Node, value: Node, text: String)? in
        guard let key = pair.key.string, remaining == key || remaining.hasPrefix(key + ".") else { return nil }
        return (pair.key, pair.value, key)
      }.max { $0.text.count < $1.text.count }
      guard let match else { break }
      found = match.key
      node = match.value
      remaining = remaining.dropFirst(match.text.count).drop { $0 == "." }
    }
    guard remaining.isEmpty, let mark = found?.mark else { return nil }
    return SourceLocation(file: file, line: mark.line, column: mark.column)
  }
}
