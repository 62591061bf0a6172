import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// Debian 12's real `grub-mkconfig` (Oracles/grub-mkconfig.sh: root and
/// grub-common 2.06-13+deb12u2 needed, else skipped): after virthost's edit of the
/// numa-pinned example, every Linux line grub-mkconfig generates carries the huge page run
/// side by side and in order, and the isolation arguments.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/usr/sbin/grub-mkconfig")))
struct OrderedRunOracleTests {
  @Test func everyGeneratedLinuxLineCarriesTheRunInOrder() throws {
    let root = try FixtureRoot("examples/numa-pinned/root")
    let editor = try BootLoaderEditor(root: root.path)
    let run = try ["default_hugepagesz=1G", "hugepagesz=1G", "hugepages=0:8,1:8", "hugepagesz=2M", "hugepages=512"]
      .map { try KernelArgument(parsing: $0) }
    try editor.ensure(
      KernelArgsRequest(
        entries: .all, present: try args("isolcpus=managed_irq,domain,1-3,5-7"), absent: [], groups: [run]))
    try write(try editor.pendingChanges(), under: root)
    let generated = root.path + "/grub.cfg.generated"
    let oracle = try ProgramRun.run("/bin/bash", [Grub2OracleTests.oracle, root.path, "--out", generated])
    #expect(oracle.status == 0, "\(oracle.transcript)")
    let lines = try String(contentsOfFile: generated, encoding: .utf8).split(separator: "\n")
      .filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("linux") }
    let arguments =
      "isolcpus=managed_irq,domain,1-3,5-7 default_hugepagesz=1G hugepagesz=1G hugepages=0:8,1:8 hugepagesz=2M hugepages=512"
    // The first entry and the advanced submenu's normal one, then its recovery entry.
    #expect(
      lines.map { $0.split(separator: " ").drop { !$0.hasPrefix("isolcpus") }.joined(separator: " ") } == [
        arguments + " quiet", arguments + " quiet", arguments,
      ])
  }
}
