/// What must run after a boot-loader source changed for the boot loader to see it:
/// GRUB 2's `grub-mkconfig`/`grub2-mkconfig` after `/etc/default/grub`.
///
/// A plain value in the plan: the editor says what must run, the applier runs
/// ``program`` once (on the live host only) as `program -o FILE` and writes that file to
/// each of ``outputs``.
public struct Regeneration: Sendable, Equatable {
  /// The program's name, found in the host's `sbin` and `bin` folders (`grub2-mkconfig`).
  public var program: String
  /// The real grub.cfg files (from the root, symlinks resolved) that receive its
  /// output, the first one being the one GRUB reads; stub files that only
  /// `configfile` another one are not listed. Never empty.
  public var outputs: [String]

  /// Creates a regeneration of `outputs` (at least one) by `program`.
  public init(program: String, outputs: [String]) {
    precondition(!outputs.isEmpty, "a regeneration writes at least one file")
    self.program = program
    self.outputs = outputs
  }

  /// The command as an admin would type it, for example
  /// `["grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"]`.
  public var command: [String] { [program, "-o", outputs[0]] }
}
