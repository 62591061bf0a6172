/// What must run after a boot-loader source changed for the boot loader to see it:
/// GRUB 2's `grub-mkconfig`/`grub2-mkconfig` after `/etc/default/grub`, or on a Proxmox host
/// whose ESPs boot with GRUB, `proxmox-boot-tool refresh`.
///
/// A plain value in the plan: the editor says what must run, the applier runs ``program``
/// once (on the live host only), as ``invocation`` says.
public struct Regeneration: Sendable, Equatable {
  /// How the program is run, and who writes the outputs.
  public enum Invocation: Sendable, Equatable {
    /// `program -o FILE`: the applier writes what it generated to each of the outputs.
    case generatesToFile
    /// `program ARGUMENTS`: the program writes the outputs itself (`proxmox-boot-tool
    /// refresh` mounts each ESP, bind-mounts it on `/boot` and runs `update-grub` there).
    case writesOutputs(arguments: [String])
  }

  /// The program's name, found in the host's `sbin` and `bin` folders (`grub2-mkconfig`).
  public var program: String
  /// The real grub.cfg files (from the root, symlinks resolved) that receive its
  /// output, the first one being the one GRUB reads; stub files that only
  /// `configfile` another one are not listed. Never empty.
  public var outputs: [String]
  /// How it runs.
  public var invocation: Invocation

  /// Creates a regeneration of `outputs` (at least one) by `program`.
  public init(program: String, outputs: [String], invocation: Invocation = .generatesToFile) {
    precondition(!outputs.isEmpty, "a regeneration writes at least one file")
    self.program = program
    self.outputs = outputs
    self.invocation = invocation
  }

  /// The arguments the program writes its outputs by itself with, `nil` for `-o FILE`.
  public var ownArguments: [String]? {
    guard case .writesOutputs(let arguments) = invocation else { return nil }
    return arguments
  }

  /// The command as an admin would type it, for example
  /// `["grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"]` or `["proxmox-boot-tool", "refresh"]`.
  public var command: [String] { [program] + (ownArguments ?? ["-o", outputs[0]]) }
}
