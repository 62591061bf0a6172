import RootFS

/// When the running kernel booted: `btime` of `/proc/stat`, in seconds since the epoch.
public enum BootTime {
  /// The boot time under `root`; `nil` when `/proc/stat` cannot be read or has no `btime`.
  public static func read(_ root: HostRoot) -> Int? {
    guard let text = (try? root.text("/proc/stat")) ?? nil else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
      return Int(line.dropFirst("btime ".count).filter { !$0.isWhitespace })
    }
    return nil
  }
}
