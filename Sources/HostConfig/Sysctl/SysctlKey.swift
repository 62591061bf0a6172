#if canImport(Glibc)
  import Glibc
#endif

/// A sysctl variable name or glob as sysctl.d(5) reads it: `/` and `.` both separate levels;
/// when the first separator is a dot, dots and slashes swap (`net.ipv4.conf.eth0/100.rp_filter`
/// is `net/ipv4/conf/eth0.100/rp_filter`). Two spellings of one key are equal.
public struct SysctlKey: Sendable, Hashable, CustomStringConvertible {
  /// The key as a path under `/proc/sys`, levels separated by `/` (`kernel/numa_balancing`).
  public let path: String

  /// The key written as `text` in a file or a spec, without a leading `-`.
  public init(_ text: String) {
    let first = text.firstIndex { $0 == "/" || $0 == "." }
    if let first, text[first] == "." {
      path = String(text.map { $0 == "." ? "/" : $0 == "/" ? "." : $0 })
    } else {
      path = text
    }
  }

  /// The key's file under `/proc/sys` (`/proc/sys/kernel/numa_balancing`).
  public var procPath: String { "/proc/sys/" + path }

  /// The dotted spelling (`kernel.numa_balancing`), for messages and new lines.
  public var description: String { String(path.map { $0 == "/" ? "." : $0 == "." ? "/" : $0 }) }

  /// Whether this is a glob (`net.ipv4.conf.*.rp_filter`): it has `*`, `?` or `[`, as
  /// systemd-sysctl decides.
  public var isGlob: Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

  /// Whether this glob matches `key` level by level: systemd-sysctl expands a glob as a path
  /// under `/proc/sys` (`glob(3)`), so `*` never spans a `/` and a leading dot must be matched.
  public func matches(_ key: SysctlKey) -> Bool {
    fnmatch(path, key.path, FNM_PATHNAME | FNM_PERIOD) == 0
  }
}

/// How two sysctl values compare: runs of blanks (tabs in `/proc/sys` files) count as one space.
public enum SysctlValue {
  /// `value` with blanks collapsed and trimmed.
  public static func normalized(_ value: String) -> String {
    value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }
}
