import Foundation

/// Stand-ins for a host's tools under a fixture root: programs the engine runs on a live
/// root (`proxmox-boot-tool`, `bootc`, `insserv`, `grub-mkconfig`), written by the test.
extension FixtureRoot {
  /// Writes `text` to `file` under the root as a program (mode 0755), folders made as needed.
  public func writeProgram(_ file: String, _ text: String) throws {
    try write(file, text)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + file)
  }

  /// A stand-in for the tool `file` that writes its arguments to `FILE.args`, one a line (an
  /// empty file for none), then runs the shell text `then`, in which `$root` is the root.
  public func writeRecordingProgram(_ file: String, then body: String = "") throws {
    try writeProgram(
      file,
      "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$0.args\"\nroot='\(path)'\n" + body)
  }

  /// insserv configured as update-rc.d tests it (`/etc/insserv.conf`, and `program` a program
  /// that does `script`, nothing by default).
  public func configureInsserv(at program: String = "/sbin/insserv", script: String = "#!/bin/sh\n") throws {
    try write("/etc/insserv.conf", "$local_fs +mountall\n")
    try writeProgram(program, script)
  }
}
