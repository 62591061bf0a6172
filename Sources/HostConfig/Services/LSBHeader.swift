/// The runlevel lines of an init script's LSB block (`### BEGIN INIT INFO` … `### END INIT INFO`),
/// as update-rc.d and chkconfig read them: `Default-Start: S` or `2 3 4 5`, `Default-Stop: 0 1 6`.
public struct LSBHeader: Sendable, Equatable {
  /// The `Default-Start:` tokens (`S`, `2`…), `nil` without such a line.
  public var start: [String]?
  /// The `Default-Stop:` tokens, `nil` without such a line (an empty line gives `[]`).
  public var stop: [String]?

  /// Reads the LSB block of the script `text`; tokens other than `S` and `0`…`6` are dropped.
  public init(_ text: String) {
    var inBlock = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      guard line.hasPrefix("#") else { continue }
      let body = line.dropFirst().drop { $0 == " " || $0 == "\t" }
      if body.hasPrefix("## BEGIN INIT INFO") { inBlock = true }
      if body.hasPrefix("## END INIT INFO") { inBlock = false }
      guard inBlock else { continue }
      for (key, isStart) in [("Default-Start:", true), ("Default-Stop:", false)] where body.hasPrefix(key) {
        let tokens = body.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
          .map(String.init).filter { Self.levels.contains($0) }
        if isStart { start = tokens } else { stop = tokens }
      }
    }
  }

  /// Every runlevel an `rc?.d` folder exists for on Debian, in update-rc.d's order.
  public static let levels = ["S", "0", "1", "2", "3", "4", "5", "6"]
  /// The levels update-rc.d's `enable` and `disable` toggle (S↔K); 0, 1 and 6 never.
  public static let toggled: Set<String> = ["S", "2", "3", "4", "5"]
}
