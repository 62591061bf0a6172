import RootFS
import Spawn

/// A program the applier runs on the live host (a boot loader's generator, `grub2-editenv`,
/// `proxmox-boot-tool`): found under the root, run to completion with no input. The one
/// place the applier starts a program of the host.
enum HostProgram {
  /// The folders, from the root, searched for a program.
  static let folders = HostRoot.programFolders

  /// The host path of `program`: the first regular, executable file of that name in
  /// ``folders`` under `root`, or the file at `program` itself when it is a path from the
  /// root (`/usr/lib/insserv/insserv`, as update-rc.d names it); `nil` when there is none.
  static func find(_ program: String, in root: HostRoot) -> String? {
    root.findProgram(program.hasPrefix("/") ? [program] : folders.map { $0 + "/" + program })
  }

  /// How long a generator or a host command (`grub-mkconfig`, `dracut`, `update-initramfs`)
  /// may run before it is killed: an initramfs build on a slow machine takes minutes.
  static let timeout: Duration = .seconds(1800)

  /// Runs `executable` with `arguments` and no input for `step`, through the one runner
  /// (``ProgramRunner``: output to a file, a wait bounded by `timeout`): standard output,
  /// then standard error, trimmed. `name` is its `argv[0]` when given: the name it was found
  /// by, which a multi-call program needs (`/usr/sbin/modprobe` is a link to kmod, which does
  /// nothing as `kmod vhost_vsock`).
  /// - Throws: ``ProgramRunError`` when it cannot start or does not finish in time.
  static func run(
    _ executable: String, _ arguments: [String], step: String, timeout: Duration = timeout, name: String? = nil
  ) throws(ProgramRunError) -> ProgramOutcome {
    try ProgramRunner.run(executable, arguments, step: step, timeout: timeout, streams: .separate, name: name)
  }
}
