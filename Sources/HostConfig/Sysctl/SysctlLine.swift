/// One line of a sysctl file that is not a comment or blank, as the Sysctl lens reads it.
public struct SysctlLine: Sendable, Equatable {
  /// What the line says.
  public enum Kind: Sendable, Equatable {
    /// `KEY = VALUE` (or `-KEY = VALUE`: assign, ignoring a failure to write).
    case assignment(String)
    /// `-KEY` without `=`: keep KEY out of the globs (sysctl.d(5)); under systemd-sysctl it also
    /// cancels an earlier assignment of KEY.
    case exclusion
    /// `KEY` without `=` and without `-`: systemd-sysctl ignores the line ("not an assignment").
    case ignored
  }

  /// The key or glob, without its leading `-`.
  public var key: SysctlKey
  /// What the line says.
  public var kind: Kind
  /// Whether the line starts with `-`.
  public var hasDash: Bool
  /// The line's place among the file's lines that are not comments or blank (0-based): the
  /// lens's order, which is the file's.
  public var entry: Int

  /// The line with the lens's label (`-net.ipv4.conf.all.rp_filter`) and value (`nil`: no `=`).
  public init(label: String, value: String?, entry: Int) {
    hasDash = label.hasPrefix("-")
    key = SysctlKey(hasDash ? String(label.dropFirst()) : label)
    kind = value.map { .assignment($0) } ?? (hasDash ? .exclusion : .ignored)
    self.entry = entry
  }

  /// The value assigned, `nil` for an exclusion or an ignored line.
  public var value: String? {
    if case .assignment(let value) = kind { return value }
    return nil
  }
}
