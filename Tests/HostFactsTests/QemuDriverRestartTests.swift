import Foundation
import HostFacts
import TestSupport
import Testing

/// Issue 35: a restart of the QEMU driver's daemon still owed, and the guests on the old
/// settings, read from a fake `/proc` and the files' modification times.
@Suite struct QemuDriverRestartTests {
  /// Booted at 1_800_000_000 (epoch s); USER_HZ is 100 on Linux.
  static let boot = 1_800_000_000

  /// A `/proc/PID/stat` line whose process started `seconds` after the boot (field 22),
  /// with a command name holding a space and a parenthesis, as comm may.
  static func stat(pid: Int, name: String, startedAfter seconds: Int) -> String {
    let rest = [
      "S", "1", "\(pid)", "\(pid)", "0", "-1", "4194560", "0", "0", "0", "0", "5", "3", "0", "0", "20", "0", "1", "0",
    ]
    return "\(pid) (\(name)) " + (rest + ["\(seconds * 100)", "123456", "789"]).joined(separator: " ") + "\n"
  }

  /// A root whose libvirtd started 100 s after the boot, with guests "web" (started at 50 s)
  /// and "db" (at 500 s), and qemu.conf changed at `changed` s after the boot.
  static func root(changedAfter changed: Int) throws -> FixtureRoot {
    let root = try FixtureRoot()
    try root.write("/proc/stat", "cpu  1 2 3 4\nbtime \(boot)\nprocesses 10\n")
    try root.write("/run/libvirtd.pid", "812\n")
    try root.write("/proc/812/comm", "libvirtd\n")
    try root.write("/proc/812/stat", stat(pid: 812, name: "libvirtd", startedAfter: 100))
    try root.write("/proc/900/cmdline", "qemu-system-x86_64\u{0}-name\u{0}guest=web,debug-threads=on\u{0}")
    try root.write("/proc/900/stat", stat(pid: 900, name: "qemu-system-x86", startedAfter: 50))
    try root.write("/proc/901/cmdline", "/usr/bin/qemu-system-x86_64\u{0}-name\u{0}guest=db,,old,debug-threads=on\u{0}")
    try root.write("/proc/901/stat", stat(pid: 901, name: "CPU 0/KVM) x", startedAfter: 500))
    try root.write("/etc/libvirt/qemu.conf", "max_files = 32768\n")
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: TimeInterval(boot + changed))],
      ofItemAtPath: root.path + "/etc/libvirt/qemu.conf")
    return root
  }

  static let files = ["/etc/libvirt/qemu.conf", "/etc/systemd/system/dev-hugepages1G.mount"]

  @Test func aDaemonStartedBeforeTheLastChangeOwesARestartAndOlderGuestsAreListed() throws {
    let root = try Self.root(changedAfter: 300)
    let state = QemuDriverRestart.read(root.host, daemon: "libvirtd.service", files: Self.files)
    #expect(state.started == (Self.boot + 100) * 1_000_000_000)
    #expect(state.lastChange == .init(path: "/etc/libvirt/qemu.conf", modified: (Self.boot + 300) * 1_000_000_000))
    #expect(state.restartOwed)
    #expect(state.guestsOnOldSettings == ["web"])
  }

  @Test func aDaemonStartedAfterTheChangeOwesNothingAndGuestsStartedAfterAreNew() throws {
    let root = try Self.root(changedAfter: 40)
    let state = QemuDriverRestart.read(root.host, daemon: "libvirtd.service", files: Self.files)
    #expect(!state.restartOwed)
    #expect(state.guestsOnOldSettings == [])
  }

  @Test func withinTheMarginOfASecondNothingIsOwed() throws {
    let root = try Self.root(changedAfter: 101)
    #expect(!QemuDriverRestart.read(root.host, daemon: "libvirtd.service", files: Self.files).restartOwed)
  }

  @Test func aStalePidFileIsADaemonThatDoesNotRun() throws {
    let root = try Self.root(changedAfter: 300)
    try root.write("/proc/812/comm", "bash\n")
    let state = QemuDriverRestart.read(root.host, daemon: "libvirtd.service", files: Self.files)
    #expect(state.started == nil)
    #expect(!state.restartOwed)
    #expect(state.guestsOnOldSettings == ["web"])
  }

  @Test func theNewestOfTheFilesCounts() throws {
    let root = try Self.root(changedAfter: 40)
    try root.write("/etc/systemd/system/dev-hugepages1G.mount", "[Mount]\n")
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: TimeInterval(Self.boot + 200))],
      ofItemAtPath: root.path + "/etc/systemd/system/dev-hugepages1G.mount")
    let state = QemuDriverRestart.read(root.host, daemon: "libvirtd.service", files: Self.files)
    #expect(state.lastChange?.path == "/etc/systemd/system/dev-hugepages1G.mount")
    #expect(state.restartOwed)
    #expect(state.guestsOnOldSettings == ["web"])
  }

  /// `virthost facts`: the mode in use (libvirtd enabled: monolithic), the restart owed and the
  /// guest on the old settings, in JSON's model and the text.
  @Test func factsShowTheModeTheRestartOwedAndTheGuestsOnTheOldSettings() throws {
    let root = try Self.root(changedAfter: 300)
    try FileManager.default.createDirectory(
      atPath: root.path + "/run/systemd/system", withIntermediateDirectories: true)
    try root.write(
      "/lib/systemd/system/libvirtd.service",
      "[Service]\nExecStart=/usr/sbin/libvirtd\n[Install]\nWantedBy=multi-user.target\n")
    try FileManager.default.createDirectory(
      atPath: root.path + "/etc/systemd/system/multi-user.target.wants", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/multi-user.target.wants/libvirtd.service",
      withDestinationPath: "/lib/systemd/system/libvirtd.service")
    let facts = HostFacts.gather(root: root.host).libvirt
    #expect(facts.mode.value == "monolithic")
    #expect(facts.libvirtd.enabled.value == true)
    #expect(facts.virtqemud.exists.value == false)
    #expect(facts.restartOwed.value == true)
    #expect(facts.guestsOnOldSettings.value == ["web"])
  }
}
