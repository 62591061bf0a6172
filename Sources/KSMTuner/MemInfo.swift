import HostProcesses
import RootFS

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
    var rest = bytes[...]
    while !rest.isEmpty {
      let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
      add(line: rest[..<end])
      rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
    }
  }

  /// Counts one line of `/proc/meminfo` when it is one of the four, read
  /// byte by byte: no string is decoded.
  private mutating func add(line: some Collection<UInt8>) {
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
    let name = line[..<colon]
    let isTotal = name.elementsEqual("MemTotal".utf8)
    guard
      isTotal || name.elementsEqual("MemFree".utf8) || name.elementsEqual("Buffers".utf8)
        || name.elementsEqual("Cached".utf8)
    else { return }
    let space = UInt8(ascii: " ")
    let field = line[line.index(after: colon)...].drop(while: { $0 == space }).prefix(while: { $0 != space })
    guard let value = Int(decimal: field) else { return }
    if isTotal {
      total = value
    } else {
      free = (free ?? 0) &+ value  // the shell's arithmetic (KSMTuning): a planted huge value wraps, never traps
    }
  }

  /// Reads `/proc/meminfo` under `root`; `nil` when it cannot be read.
  public static func read(root: HostRoot) -> MemInfo? {
    root.rawRead("/proc/meminfo").map { MemInfo($0) }
  }
}
