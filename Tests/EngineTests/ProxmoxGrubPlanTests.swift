import Editors
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Issue 34, Proxmox VE in GRUB mode (fixture `proxmox-grub`): the plan edits
/// `/etc/default/grub` (never `/etc/kernel/cmdline`), names `proxmox-boot-tool refresh` as
/// its regeneration (pending on another root, run on the live host), and judges "pending
/// regeneration" from each ESP's `grub/grub.cfg`.
@Suite struct ProxmoxGrubPlanTests {
  static let spec = "kernel:\n  args:\n    present: [amd_iommu=on]\n"
  static let outputs = ["/var/tmp/espmounts/4A2C-77E1/grub/grub.cfg", "/var/tmp/espmounts/4A2C-8B03/grub/grub.cfg"]

  static func plan(_ edit: ((FixtureRoot) throws -> Void)? = nil) throws -> (Plan, FixtureRoot) {
    try BootLoaderFamilyPlanTests.plan("proxmox-grub", spec, edit: edit)
  }

  @Test func thePlanEditsEtcDefaultGrubAndNamesTheRefresh() throws {
    let (plan, root) = try Self.plan()
    #expect(plan.fileOperations.map(\.path) == ["/etc/default/grub"])
    #expect(plan.regeneration?.command == ["proxmox-boot-tool", "refresh"])
    #expect(plan.regeneration?.outputs == Self.outputs)
    let cmdline = try root.text("/etc/kernel/cmdline")

    let report = try BootLoaderFamilyPlanTests.engine(root).apply(plan)
    #expect(report.applied == ["write /etc/default/grub"])
    #expect(
      report.skipped == [
        "regenerate the boot loader (proxmox-boot-tool refresh): the root is not /; run `proxmox-boot-tool refresh` on the host itself"
      ])
    #expect(report.pendingRegeneration?.command == ["proxmox-boot-tool", "refresh"])
    #expect(
      try root.text("/etc/default/grub").contains(
        "GRUB_CMDLINE_LINUX=\"root=ZFS=rpool/ROOT/pve-1 boot=zfs amd_iommu=on\""))
    #expect(try root.text("/etc/kernel/cmdline") == cmdline, "ignored in GRUB mode: never written")
  }

  /// The plan of each Proxmox fixture as `virthost plan --diff` prints it: GRUB mode edits
  /// `/etc/default/grub` and regenerates with the refresh; systemd-boot mode writes
  /// `/etc/kernel/cmdline` and runs the refresh after it.
  @Test(arguments: ["proxmox-grub", "proxmox-systemd-boot"])
  func thePlanTextIsGolden(_ family: String) throws {
    let (plan, root) = try BootLoaderFamilyPlanTests.plan(family, Self.spec)
    let text = PlanTextRenderer(diff: true).render(plan).replacingOccurrences(of: root.path, with: "ROOT")
    #expect(text == (try Golden.text("Tests/EngineTests/Fixtures/expected/\(family)/plan.txt", recording: text)))
  }

  @Test func onTheLiveHostTheRefreshRunsAndWritesTheESPsItself() throws {
    let (plan, root) = try Self.plan()
    // A stand-in for the refresh: records its arguments and, as update-grub on each ESP
    // would, puts the new argument on the ESPs' Linux lines (the apply then checks them).
    let tool = "/usr/sbin/proxmox-boot-tool"
    try root.writeRecordingProgram(
      tool,
      then: "for f in \"$root\"/var/tmp/espmounts/*/grub/grub.cfg; do\n"
        + "  sed -i 's/^\\(\\s*linux\\s.*\\)$/\\1 amd_iommu=on/' \"$f\"\ndone\n")
    let report = try BootLoaderFamilyPlanTests.engine(root, live: true).apply(plan)
    #expect(report.applied == ["write /etc/default/grub", "regenerate the boot loader (proxmox-boot-tool refresh)"])
    #expect(try root.text(tool + ".args") == "refresh\n")
    #expect(
      try root.text(Self.outputs[1]).contains("boot=zfs quiet amd_iommu=on\n"), "the ESPs are the tool's to write")
  }

  @Test func aStaleESPGrubCfgIsPendingRegeneration() throws {
    let (plan, _) = try Self.plan { root in
      let defaults = try root.text("/etc/default/grub")
      try root.write(
        "/etc/default/grub", defaults.replacingOccurrences(of: "boot=zfs\"", with: "boot=zfs amd_iommu=on\""))
    }
    #expect(plan.fileOperations.isEmpty)
    #expect(plan.pendingChanges.map(\.address.description) == ["boot_loader_regeneration[\"\(Self.outputs[0])\"]"])
    #expect(plan.regeneration?.command == ["proxmox-boot-tool", "refresh"])
  }

  @Test func anESPGrubCfgNotUnderTheRootLeavesThePendingStateUnknown() throws {
    let (plan, _) = try Self.plan { root in
      let defaults = try root.text("/etc/default/grub")
      try root.write(
        "/etc/default/grub", defaults.replacingOccurrences(of: "boot=zfs\"", with: "boot=zfs amd_iommu=on\""))
      try FileManager.default.removeItem(atPath: root.path + Self.outputs[1])
    }
    #expect(
      plan.diagnostics.filter { $0.code == .regenerationUnknown }.map(\.summary) == [
        "whether the boot loader waits for a regeneration is not known: \(Self.outputs[1]) (ESP 4A2C-8B03) is not "
          + "under the root: proxmox-boot-tool mounts the ESP only while it runs"
      ])
  }

  @Test func rollbackRunsTheRefreshAgainFromItsRecord() throws {
    let record = BackupStore.Manifest.RegenerationRecord(
      program: "proxmox-boot-tool", outputs: Self.outputs, arguments: ["refresh"])
    #expect(record.regeneration.command == ["proxmox-boot-tool", "refresh"])
    let decoded = try JSONDecoder().decode(
      BackupStore.Manifest.RegenerationRecord.self, from: JSONEncoder().encode(record))
    #expect(decoded == record)
    let older = try JSONDecoder().decode(
      BackupStore.Manifest.RegenerationRecord.self,
      from: Data(#"{"program":"grub-mkconfig","outputs":["/boot/grub/grub.cfg"]}"#.utf8))
    #expect(older.regeneration.command == ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"])
  }
}
