/// One place a kernel command line lives, with the arguments it holds: what the coverage
/// check compares. Today's entries are what the next boot runs; the sources of the next
/// kernel's entries are what a kernel update (update-grub, kernel-install,
/// proxmox-boot-tool) builds new entries from.
public struct CommandLineSource: Sendable, Equatable, CustomStringConvertible {
  /// Which side of the coverage check a source is on.
  public enum Role: String, Sendable, Equatable {
    /// A boot entry that exists now.
    case currentEntry = "current entry"
    /// What entries of kernels installed later are built from.
    case nextKernels = "next kernels"
  }

  /// The file, and the place in it when the file holds several (`/boot/grub/menu.lst # kopt=`).
  public var name: String
  /// Which side it is on.
  public var role: Role
  /// The entry's title, for a current entry.
  public var title: String?
  /// The arguments it gives, GRUB variables resolved where the format knows them.
  public var arguments: [KernelArgument]

  /// Creates a source.
  public init(name: String, role: Role, arguments: [KernelArgument], title: String? = nil) {
    self.name = name
    self.role = role
    self.arguments = arguments
    self.title = title
  }

  /// The source of the current entry `entry`.
  public init(entry: BootEntry) {
    self.init(
      name: "\(entry.file) '\(entry.title)'", role: .currentEntry, arguments: entry.arguments, title: entry.title)
  }

  /// `/etc/kernel/cmdline (next kernels)`.
  public var description: String { "\(name) (\(role.rawValue))" }

  /// Which of `wanted` (arguments that must stand on every source) reach one side and
  /// not the other, among `sources`: one sentence each, naming the sources that lack it.
  /// Nothing when a side has no source (a format that keeps one place only).
  /// `selected` (entry titles) limits the current side to the entries a request edits.
  public static func gaps(in sources: [CommandLineSource], for wanted: [KernelArgument], selected: Set<String>)
    -> [String]
  {
    let current = sources.filter { $0.role == .currentEntry && selected.contains($0.title ?? "") }
    let next = sources.filter { $0.role == .nextKernels }
    guard !current.isEmpty, !next.isEmpty else { return [] }
    var result: [String] = []
    for argument in wanted {
      let lackingNow = current.filter { !$0.arguments.contains(argument) }
      let lackingNext = next.filter { !$0.arguments.contains(argument) }
      if lackingNow.isEmpty && !lackingNext.isEmpty {
        result.append(
          "\(argument) reaches today's entries but not the next kernel's: "
            + lackingNext.map(\.name).joined(separator: ", ") + " lacks it")
      } else if !lackingNow.isEmpty && lackingNext.isEmpty {
        result.append(
          "\(argument) reaches the next kernel's entries but not today's: "
            + lackingNow.map(\.name).joined(separator: ", ") + " lacks it")
      }
    }
    return result
  }
}
