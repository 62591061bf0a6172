import RootFS

/// The fields of `/proc/<pid>/stat` that virthost reads. Foundation-free.
public enum ProcessStat {
  /// `starttime`, field 22: when the process started, in clock ticks after the boot. The
  /// fields are counted after the last `)`, since the command name in field 2 may hold spaces
  /// and parentheses. `nil` when the text has no such field.
  public static func startTicks(stat bytes: some BidirectionalCollection<UInt8>) -> Int? {
    guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
    // After ")": field 3 (state) is the first; field 22 is the 20th.
    let fields = bytes[bytes.index(after: close)...].split(whereSeparator: {
      $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n")
    })
    guard fields.count >= 20 else { return nil }
    return Int(decimal: fields[fields.index(fields.startIndex, offsetBy: 19)])
  }

  /// The start of process `pid` under `root`, in clock ticks after the boot; `nil` when it
  /// does not run.
  public static func startTicks(root: HostRoot, pid: Int) -> Int? {
    root.rawRead("/proc/\(pid)/stat").flatMap { startTicks(stat: $0) }
  }
}
