import Editors
import Foundation
import RootFS
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// The generated grub.cfg is part of the state. A grub.cfg whose Linux
/// lines lack what `/etc/default/grub` and its drop-ins evaluate to is "pending
/// regeneration": a `boot_loader_regeneration` resource in the plan, an offline apply
/// that says so (exit 3), a live apply whose failed regeneration says what is written.
@Suite struct PendingRegenerationTests {
  static let stale = "Tests/BootLoaderTests/Fixtures/stale-grubcfg/root"
  static let debian12 = "Tests/BootLoaderTests/Fixtures/debian12/root"
  static let spec = """
    kernel:
      entries: all
      args:
        present: [amd_iommu=on, iommu=pt]

    """
  static let address = "boot_loader_regeneration[\"/boot/grub/grub.cfg\"]"

  func engine(_ root: FixtureRoot, runsCommands: Bool = false) -> Engine {
    Engine(planner: Planner(root: root.host), lockWait: .milliseconds(200), runsCommands: runsCommands)
  }

  func plan(_ root: FixtureRoot) throws -> Plan {
    try engine(root).plan(specText: Self.spec, specFile: "host.yaml")
  }

  /// Writes the spec next to `root` and returns its path.
  func specFile(beside root: FixtureRoot) throws -> String {
    let path = URL(fileURLWithPath: root.path).deletingLastPathComponent().appendingPathComponent("host.yaml").path
    try Data(Self.spec.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func aStaleGrubCfgIsARegenerationStepWithoutAnyFileChange() throws {
    let root = try FixtureRoot(Self.stale)
    let plan = try plan(root)
    #expect(plan.fileOperations.isEmpty)
    #expect(plan.pendingChanges.map(\.address.description) == [Self.address])
    #expect(plan.onlyRegenerationPending)
    #expect(plan.regeneration?.command == ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"])
    let coverage = plan.diagnostics.filter { $0.code == .kernelArgumentCoverage }
    #expect(coverage.map(\.severity) == [.warning])
    #expect(
      coverage.first?.summary
        == "today's boot entries and the source of the next kernel's entries disagree on amd_iommu, iommu; pending regeneration"
    )
    #expect(
      coverage.first?.detail?.hasPrefix(
        "/boot/grub/grub.cfg:119 (normal entries) has none of them; the defaults give amd_iommu=on iommu=pt\n") == true)
    let text = PlanTextRenderer().render(plan)
    #expect(text.contains("~ \(Self.address) will be updated"))
    #expect(text.contains("grub-mkconfig -o /boot/grub/grub.cfg  (once, after every file)"))
  }

  @Test func aSavedPendingRegenerationRoundTripsAndIsAppliedOffline() throws {
    let root = try FixtureRoot(Self.stale)
    let document = PlanDocument(try plan(root))
    let json = document.json()
    #expect(json.contains(#""address" : "boot_loader_regeneration[\"/boot/grub/grub.cfg\"]""#))
    let decoded = try PlanDocument.decode(Data(json.utf8), file: "plan.json")
    #expect(decoded == document)
    let report = try engine(root).apply(saved: decoded)
    #expect(report.applied == [])
    #expect(report.backup == nil)
    #expect(report.pendingRegeneration?.command == ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"])
  }

  @Test func detailedExitcodeIsTwoWhileARegenerationIsPending() throws {
    let root = try FixtureRoot(Self.stale)
    let run = try ProgramRun.virthost(["plan", try specFile(beside: root), "--root", root.path, "--detailed-exitcode"])
    #expect(run.status == 2, "\(run.transcript)")
  }

  @Test func anOfflineApplyOfAStaleGrubCfgWritesNothingAndSaysPending() throws {
    let root = try FixtureRoot(Self.stale)
    let before = try root.snapshot()
    let run = try ProgramRun.virthost(["apply", try specFile(beside: root), "--root", root.path])
    #expect(run.status == 3, "\(run.transcript)")
    #expect(run.output.hasSuffix("pending regeneration: run grub-mkconfig -o /boot/grub/grub.cfg on the host\n"))
    #expect(!run.output.contains("The host matches the desired state"))
    #expect(try root.snapshot() == before, "nothing written, not even a backup")
  }

  @Test func anOfflineApplyWritesTheDefaultsThenReportsPendingRegeneration() throws {
    let root = try FixtureRoot(Self.debian12)
    let report = try engine(root).apply(try plan(root))
    #expect(report.applied == ["write /etc/default/grub"])
    #expect(report.pendingRegeneration?.command == ["grub-mkconfig", "-o", "/boot/grub/grub.cfg"])
    #expect(try root.text("/etc/default/grub").contains("GRUB_CMDLINE_LINUX=\"amd_iommu=on iommu=pt\"\n"))
    // The state is now the stale-grubcfg fixture's: only the regeneration is left.
    let again = try plan(root)
    #expect(again.pendingChanges.map(\.address.description) == [Self.address])
    #expect(again.fileOperations.isEmpty)
  }

  @Test func anOfflineApplyThatSkipsTheRegenerationSaysPendingEvenWithoutAGrubCfg() throws {
    // Ubuntu's cloud image fixture has no grub.cfg to compare: the skipped step alone says it.
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/ubuntu2404-cloud/root")
    let run = try ProgramRun.virthost(["apply", try specFile(beside: root), "--root", root.path])
    #expect(run.status == 3, "\(run.transcript)")
    #expect(run.output.contains("  done     write /etc/default/grub.d/60-site-console.cfg\n"))
    #expect(run.output.hasSuffix("pending regeneration: run grub-mkconfig -o /boot/grub/grub.cfg on the host\n"))
  }

  @Test func aLiveApplyWhoseRegenerationFailsSaysWhatIsWrittenAndWhatNot() throws {
    let root = try FixtureRoot(Self.debian12)
    try root.writeProgram(
      "/usr/sbin/grub-mkconfig", "#!/bin/sh\necho '/etc/grub.d/40_custom: syntax error' >&2\nexit 1\n")
    let error = #expect(throws: EngineError.self) {
      try engine(root, runsCommands: true).apply(try plan(root))
    }
    guard case .failed(let failure)? = error else {
      Issue.record("expected an apply failure, got \(String(describing: error))")
      return
    }
    #expect(failure.applied == ["write /etc/default/grub"])
    #expect(failure.step == "regenerate the boot loader (grub-mkconfig -o /boot/grub/grub.cfg)")
    #expect(
      failure.message
        == "grub-mkconfig failed (exit 1); no grub.cfg replaced: /etc/grub.d/40_custom: syntax error; "
        + "written: /etc/default/grub; not written: /boot/grub/grub.cfg (pending regeneration)")
    // The next plan still shows the regeneration: the state is kept until one succeeds.
    #expect(try plan(root).pendingChanges.map(\.address.description) == [Self.address])
  }

  /// The oracle: Debian 12's real grub-mkconfig (Oracles/grub-mkconfig.sh, root and
  /// grub-common 2.06-13+deb12u2 needed) regenerates the stale fixture's grub.cfg; the
  /// regenerated file carries the arguments, and the plan is then empty.
  @Test(.enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/usr/sbin/grub-mkconfig")))
  func afterTheRealGrubMkconfigThePlanIsEmpty() throws {
    let root = try FixtureRoot(Self.stale)
    let oracle = FixtureRoot.repository.appendingPathComponent("Tests/BootLoaderTests/Oracles/grub-mkconfig.sh").path
    let check = try ProgramRun.run("/bin/bash", [oracle, root.path, "--check-normal", "amd_iommu=on", "iommu=pt"])
    #expect(check.status == 0, "\(check.transcript)")
    let generated = URL(fileURLWithPath: root.path).deletingLastPathComponent().appendingPathComponent("grub.cfg").path
    let run = try ProgramRun.run("/bin/bash", [oracle, root.path, "--out", generated])
    try #require(run.status == 0, "\(run.transcript)")
    try FileManager.default.removeItem(atPath: root.path + "/boot/grub/grub.cfg")
    try FileManager.default.copyItem(atPath: generated, toPath: root.path + "/boot/grub/grub.cfg")
    let plan = try plan(root)
    #expect(!plan.hasChanges)
    #expect(plan.diagnostics.filter { $0.code == .kernelArgumentCoverage }.isEmpty)
  }
}
