import HostProcesses
import RootFS
import TestSupport
import Testing

/// The one reader of running guests finds every QEMU process under a root's `/proc`,
/// whatever its accelerator, with its arguments and resident memory; nothing else.
@Suite struct QEMUProcessesTests {
  @Test func everyQEMUProcessIsFoundWithItsArgumentsAndMemory() throws {
    let root = try FixtureRoot()
    try root.write("/proc/100/cmdline", "qemu-system-x86_64\u{0}-enable-kvm\u{0}-m\u{0}1024\u{0}")
    try root.write("/proc/100/status", "Name:\tqemu-system-x86\nVmRSS:\t  4096 kB\n")
    try root.write("/proc/101/cmdline", "/usr/bin/qemu-system-aarch64\u{0}-accel\u{0}tcg\u{0}")
    try root.write("/proc/102/cmdline", "/usr/libexec/qemu-kvm\u{0}")
    try root.write("/proc/103/cmdline", "bash\u{0}-c\u{0}qemu-system-x86_64\u{0}")
    try root.write("/proc/104/cmdline", "")
    try root.write("/proc/self/cmdline", "qemu-kvm\u{0}")
    var found: [String] = []
    QEMUProcesses.forEach(root: root.host) { process in
      found.append(
        "\(process.program) \(process.arguments.joined(separator: " ")) \(process.residentKilobytes() ?? -1)")
    }
    #expect(
      found.sorted() == [
        "kvm /usr/libexec/qemu-kvm -1", "system /usr/bin/qemu-system-aarch64 -accel tcg -1",
        "system qemu-system-x86_64 -enable-kvm -m 1024 4096",
      ])
    #expect(QEMUProcesses.count(root: root.host) == 3)
  }

  @Test func aRootWithoutProcHasNoGuests() throws {
    #expect(QEMUProcesses.count(root: try FixtureRoot().host) == 0)
  }
}

/// `/proc/PID/stat`'s start time, and the guest's `-name`.
@Suite struct ProcessStartTests {
  @Test func startTicksAreField22CountedAfterTheLastParenthesis() {
    let stat = "42 (a) b) S 1 42 42 0 -1 4194560 0 0 0 0 5 3 0 0 20 0 1 0 98765 123456 789\n"
    #expect(ProcessStat.startTicks(stat: Array(stat.utf8)) == 98765)
    #expect(ProcessStat.startTicks(stat: Array("42 (short) S 1 2\n".utf8)) == nil)
  }

  @Test func theGuestNameIsLibvirtsGuestKeyOrAPlainName() throws {
    let root = try FixtureRoot()
    try root.write("/proc/1/cmdline", "qemu-system-x86_64\u{0}-name\u{0}guest=a,,b,debug-threads=on\u{0}")
    try root.write("/proc/2/cmdline", "qemu-system-x86_64\u{0}-name\u{0}plain\u{0}")
    try root.write("/proc/3/cmdline", "qemu-system-x86_64\u{0}-m\u{0}64\u{0}")
    var names: [String?] = []
    QEMUProcesses.forEach(root: root.host) { names.append($0.guestName) }
    #expect(names.sorted { ($0 ?? "") < ($1 ?? "") } == [nil, "a,b", "plain"])
  }
}
