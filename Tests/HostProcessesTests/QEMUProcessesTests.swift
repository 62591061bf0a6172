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
