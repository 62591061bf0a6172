import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// Debian 12's real `grub-mkconfig` (Oracles/grub-mkconfig.sh: root and grub-common
/// 2.06-13+deb12u2 needed, else skipped) on each GRUB 2 fixture after virthost's edit:
/// every normal Linux entry it generates carries the requested argument.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/usr/sbin/grub-mkconfig")))
struct Grub2OracleTests {
  static let oracle = FixtureRoot.repository.appendingPathComponent("Tests/BootLoaderTests/Oracles/grub-mkconfig.sh")
    .path

  @Test(arguments: [
    ("debian12", EntrySelection.all), ("debian12", .default), ("ubuntu2404-cloud", .all),
    ("ubuntu2404-cloud", .default), ("xen-dom0-grub2", .all), ("stale-grubcfg", .default),
  ])
  func theRealGrubMkconfigCarriesTheArgumentAfterTheEdit(_ fixture: String, _ entries: EntrySelection) throws {
    let root = try FixtureRoot("\(fixtures)/\(fixture)/root")
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(KernelArgsRequest(entries: entries, present: try args("amd_iommu=on"), absent: []))
    try write(try editor.pendingChanges(), under: root)
    let check = try ProgramRun.run("/bin/bash", [Self.oracle, root.path, "--check-normal", "amd_iommu=on"])
    #expect(check.status == 0, "\(check.transcript)")
    // What the shells make of the files agrees with virthost's evaluation.
    let values = try EffectiveCmdline.values(of: root.path)
    let grub2 = try Grub2.read(root.host)
    for name in GrubDefaults.variables {
      #expect(grub2.defaults.arguments(of: name).map(\.description) == EffectiveCmdline.words(values[name]), "\(name)")
    }
  }
}
