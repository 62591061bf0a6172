import Foundation
import HostConfig
import TestSupport
import Testing

/// Which init system a root uses: PID 1 on the live root, what is installed elsewhere.
@Suite struct InitSystemTests {
  /// A Debian root switched to sysvinit as Debian documents it (`apt install sysvinit-core`):
  /// `/sbin/init` is sysvinit's own program, the systemd package is still installed.
  func sysvinitKeepingSystemd() throws -> OracleRoot {
    let root = try OracleRoot(.debian, [])
    try root.root.write("/sbin/init", "")
    return root
  }

  @Test func pid1DecidesTheLiveRootEvenWithTheSystemdPackageInstalled() throws {
    let root = try sysvinitKeepingSystemd()
    #expect(try InitSystem.detect(root: root.root.host, pid1: .sysv) == .sysv)
    #expect(try InitSystem.detect(root: root.root.host, pid1: .systemd) == .systemd)
    // PID 1 of a container (nil) decides nothing: the files do, as on any other root.
    #expect(try InitSystem.detect(root: root.root.host, pid1: nil) == .systemd)
  }

  @Test func anotherRootKeepsTheFileRuleAndNeverReadsAPlantedProc() throws {
    let root = try sysvinitKeepingSystemd()
    try root.root.write("/proc/1/comm", "init\n")
    try root.root.link("/proc/1/exe", to: "/sbin/init")
    #expect(try InitSystem.detect(root: root.root.host) == .systemd)
  }

  @Test func sysvinitAsPid1WithoutRcFoldersFallsBackToTheFiles() throws {
    let root = try OracleRoot(.merged, [])
    #expect(try InitSystem.detect(root: root.root.host, pid1: .sysv) == .systemd)
  }

  @Test(
    arguments: [
      ("/usr/lib/systemd/systemd", "systemd", InitSystem.systemd),
      ("/lib/systemd/systemd (deleted)", nil, .systemd),
      (nil, "systemd", .systemd),
      ("/sbin/init", "init", .sysv),
      (nil, "init", .sysv),
    ] as [(String?, String?, InitSystem)])
  func pid1IsReadFromItsProgramThenItsName(exe: String?, comm: String?, expected: InitSystem) {
    #expect(InitSystem.running(exe: exe, comm: comm) == expected)
  }

  @Test func aContainerSupervisorAsPid1SaysNothing() {
    #expect(InitSystem.running(exe: "/usr/bin/tini", comm: "tini") == nil)
    #expect(InitSystem.running(exe: nil, comm: "bash") == nil)
    #expect(InitSystem.running(exe: nil, comm: nil) == nil)
  }
}
