/// The fields of `/proc/meminfo` ksmtuned uses, in kB.
public struct MemInfo: Equatable, Sendable {
  /// `MemTotal`, or `nil` when the file has no such line.
  public var total: Int?
  /// `MemFree + Buffers + Cached` (the lines present), or `nil` when none is.
  public var free: Int?

  /// Parses the text of `/proc/meminfo`: lines `Name:  value kB`. As ksmtuned's
  /// awk patterns, only lines starting with exactly `MemTotal:`, `MemFree:`,
  /// `Buffers:` and `Cached:` count (`SwapCached:` does not).
  public init(_ bytes: some Collection<UInt8>) {
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
      let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
      guard name == "MemTotal" || name == "MemFree" || name == "Buffers" || name == "Cached" else { continue }
      let fields = line[line.index(after: colon)...].split(separator: UInt8(ascii: " "))
      guard let first = fields.first, let value = Int(String(decoding: first, as: UTF8.self)) else { continue }
      if name == "MemTotal" {
        total = value
      } else {
        free = (free ?? 0) + value
      }
    }
  }

  /// Reads `/proc/meminfo` under `root`; `nil` when it cannot be read.
  public static func read(root: HostRoot) -> MemInfo? {
    HostRoot.readFile(root.path("/proc/meminfo")).map { MemInfo($0) }
  }
}
