/// A program a planned file change runs on the live host, beside or instead of the write:
/// the distribution's own tool for a file it owns (`grub2-editenv` for grubenv) or for
/// copies of it elsewhere (`proxmox-boot-tool refresh` for the ESPs).
///
/// A plain value in the plan: the editor says what runs, the applier runs it, and only on
/// the live root (`/`). On another root the file is written and, for ``Role/afterWrite``,
/// the run is reported pending: only the host itself can run it.
public struct HostCommand: Sendable, Equatable {
  /// When the command runs.
  public enum Role: String, Sendable, Equatable {
    /// On the live host the command makes the change itself (with the same bytes the plan
    /// shows); the file is written only on another root.
    case insteadOfWrite
    /// The file is written, then the command runs on the live host (pending elsewhere).
    case afterWrite
  }

  /// The program's name and its arguments (`["grub2-editenv", "/boot/grub2/grubenv", "set", "kernelopts=…"]`);
  /// the program is found in the root's `sbin` and `bin` folders.
  public var arguments: [String]
  /// When it runs.
  public var role: Role

  /// Creates a command; `arguments` holds at least the program's name.
  public init(_ arguments: [String], role: Role) {
    precondition(!arguments.isEmpty, "a command names its program")
    self.arguments = arguments
    self.role = role
  }

  /// The command as an admin would type it (arguments with blanks in single quotes).
  public var shown: String {
    arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
  }
}
