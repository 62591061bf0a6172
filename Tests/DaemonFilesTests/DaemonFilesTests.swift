import DaemonFiles
import Foundation
import TestSupport
import Testing

@Suite struct DaemonFilesTests {
  @Test func theSystemdUnitRunsTheBinaryInTheForegroundAndConflictsWithKsmtuned() throws {
    let unit = try DaemonFiles.systemdUnit(binaryPath: DaemonFiles.binaryPath)
    let lines = unit.split(separator: "\n").map(String.init)
    #expect(
      lines.contains("ExecStart=/usr/local/sbin/virthost-ksmtuned --foreground --pidfile /run/virthost-ksmtuned.pid"))
    #expect(lines.contains("ExecReload=/bin/kill -HUP $MAINPID"))
    #expect(lines.contains("Conflicts=ksmtuned.service"))
    #expect(lines.contains("Type=simple"))
    #expect(lines.contains("WantedBy=multi-user.target"))
    // lintian's systemd-service-file-missing-documentation-key (issue 37): the package's page.
    #expect(lines.contains("Documentation=man:virthost-ksmtuned(8)"))
  }

  @Test func theInitScriptHasAChkconfigHeaderAnLSBBlockAndEveryAction() throws {
    let script = try DaemonFiles.sysvInitScript(binaryPath: "/opt/virthost/sbin/virthost-ksmtuned")
    let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "#!/bin/sh")
    #expect(lines.contains("# chkconfig: 345 85 15"))
    #expect(lines.contains("### BEGIN INIT INFO") && lines.contains("### END INIT INFO"))
    #expect(lines.contains("# Provides: virthost-ksmtuned"))
    #expect(lines.contains("exec=/opt/virthost/sbin/virthost-ksmtuned"))
    for action in [
      "start) start ;;", "stop) stop ;;", "status) status ;;", "restart|force-reload) stop && start ;;",
      "reload) signal HUP ;;", "retune) signal USR1 ;;",
    ] {
      #expect(lines.contains("    " + action), "\(action)")
    }
    // The shell accepts it.
    let path = NSTemporaryDirectory() + "virthost-init-\(UUID().uuidString)"
    try script.write(toFile: path, atomically: false, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let check = try ProgramRun.run("/bin/sh", ["-n", path])
    #expect(check.status == 0, "\(check.transcript)")
  }

  /// Debian Policy 9.3.2 (issue 37, defect 3): the init script stays after `dpkg -r` (a
  /// conffile); with its daemon gone, every action exits 0 and says nothing.
  @Test(arguments: ["start", "stop", "restart", "status", "condrestart"])
  func withItsBinaryGoneTheInitScriptExitsZeroQuietly(action: String) throws {
    let gone = NSTemporaryDirectory() + "virthost-gone-\(UUID().uuidString)/virthost-ksmtuned"
    let script = try DaemonFiles.sysvInitScript(binaryPath: gone)
    let path = NSTemporaryDirectory() + "virthost-init-\(UUID().uuidString)"
    try script.write(toFile: path, atomically: false, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try ProgramRun.run("/bin/sh", [path, action])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(run.output.isEmpty && run.error.isEmpty, "\(run.transcript)")
  }

  /// Issue 37, defect 3: update-rc.d and insserv read the LSB block; Debian's default
  /// runlevel is 2, so the tuner starts in 2 3 4 5 (K links only in 0 1 6). RHEL's chkconfig
  /// line keeps its 3 4 5.
  @Test func theLSBBlockStartsInDebiansRunlevelsTwoToFive() throws {
    let script = try DaemonFiles.sysvInitScript(binaryPath: DaemonFiles.binaryPath)
    let lines = script.split(separator: "\n").map(String.init)
    #expect(lines.contains("# Default-Start: 2 3 4 5"))
    #expect(lines.contains("# Default-Stop: 0 1 6"))
    #expect(lines.contains("# chkconfig: 345 85 15"))
  }

  @Test(arguments: ["virthost-ksmtuned", "/usr/local/sbin/virt host", "/usr/sbin/$(reboot)", "/", ""])
  func aPathThatWouldNeedQuotingIsRefused(_ path: String) {
    #expect(throws: DaemonFiles.UnusablePath.self) { try DaemonFiles.systemdUnit(binaryPath: path) }
    #expect(throws: DaemonFiles.UnusablePath.self) { try DaemonFiles.sysvInitScript(binaryPath: path) }
  }
}
