/// One file in the order a ``SysctlSemantics`` reads them, with its lines.
public struct SysctlFile: Sendable, Equatable {
  /// The path the file is read at, links not resolved (`/etc/sysctl.d/99-sysctl.conf`): its
  /// name gives its place in the order.
  public var path: String
  /// The file whose text is read, links resolved inside the root (`/etc/sysctl.conf`); `nil`
  /// for a link to `/dev/null`, which hides files of the same name and is read as empty.
  public var source: String?
  /// Its lines that are not comments or blank, in order.
  public var lines: [SysctlLine]

  /// Creates the record of one file.
  public init(path: String, source: String?, lines: [SysctlLine]) {
    self.path = path
    self.source = source
    self.lines = lines
  }

  /// The file's name, which decides its place among the drop-ins.
  public var name: String { String(path.split(separator: "/").last ?? "") }

  /// The folder it is read from (`/usr/lib/sysctl.d`).
  public var folder: String {
    let parts = path.split(separator: "/").dropLast()
    return "/" + parts.joined(separator: "/")
  }

  /// Whether virthost may write the file it reads: it lies under `/etc`, as named and as read
  /// (a package's file under `/usr/lib` or `/lib` is reverted by the next upgrade; `/run` is
  /// a tmpfs, gone at reboot).
  public var isUnderEtc: Bool { path.hasPrefix("/etc/") && (source?.hasPrefix("/etc/") ?? false) }
}
