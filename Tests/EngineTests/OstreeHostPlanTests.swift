import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Issue 34 item 2, an ostree/bootc host on a running host: the plan is one host command
/// (bootc's `--source virthost`, or `rpm-ostree kargs`) aimed at the deployment the next
/// boot starts, never a write under `/boot`; offline the command is left to the host; check
/// reads the next deployment's entry against `/proc/cmdline` (pending until the reboot).
@Suite struct OstreeHostPlanTests {
  static let spec = "kernel:\n  args:\n    present: [amd_iommu=on, iommu=pt]\n"

  /// Answers of a host whose bootc and ostree are as given (nil: missing).
  struct Tools: ImageModeToolProbe {
    var help: String?
    var version: String?
    func bootcLoaderEntriesHelp() -> String? { help }
    func ostreeVersion() -> String? { version }
  }
  static let newTools = Tools(
    help: ImageModeToolAnswers.bootcLoaderEntriesHelp, version: ImageModeToolAnswers.ostreeVersion("2026.1"))
  static let oldTools = Tools(
    help: ImageModeToolAnswers.bootcLoaderEntriesHelp, version: ImageModeToolAnswers.ostreeVersion("2025.6"))

  static func plan(_ family: String, tools: Tools? = nil, edit: ((FixtureRoot) throws -> Void)? = nil) throws -> (
    Plan, FixtureRoot
  ) {
    try ImageModeTools.$probe.withValue(tools) {
      try BootLoaderFamilyPlanTests.plan(family, spec, edit: edit)
    }
  }

  /// The fixture without the installer's untracked `amd_iommu=off`: nothing foreign must change.
  static func dropInstallersIOMMU(_ root: FixtureRoot) throws {
    let file = "/boot/loader/entries/ostree-1-fedora.conf"
    try root.write(file, try root.text(file).replacingOccurrences(of: " amd_iommu=off", with: ""))
  }

  static func commands(_ plan: Plan) -> [[String]] {
    plan.pendingChanges.flatMap(\.operations).compactMap {
      if case .runAfterFiles(let command) = $0 { command.arguments } else { nil }
    }
  }

  @Test func withBootcsSourcesTheToolsAnswerTheFormIsTheSourceButAnUntrackedValueNeedsRpmOstree() throws {
    let (plan, root) = try Self.plan("ostree-deployed", tools: Self.newTools)
    // amd_iommu=off is untracked (the installer's --karg): bootc's form cannot remove it.
    #expect(
      Self.commands(plan) == [
        [
          "rpm-ostree", "kargs", "--delete-if-present=amd_iommu=off", "--append=amd_iommu=on",
          "--append-if-missing=iommu=pt",
        ]
      ])
    #expect(
      plan.diagnostics.filter { $0.code == .imageModeHost }.map(\.summary) == [
        "rpm-ostree kargs, not bootc's --source virthost: a value another source or no source owns must change or go; "
          + "the arguments are then untracked"
      ])
    #expect(plan.fileOperations.isEmpty)
    _ = root
  }

  @Test func theSourceFormWhereNothingForeignMustChange() throws {
    let (plan, _) = try Self.plan("ostree-deployed", tools: Self.newTools) { try Self.dropInstallersIOMMU($0) }
    #expect(
      Self.commands(plan) == [
        [
          "bootc", "loader-entries", "set-options-for-source", "--source", "virthost", "--options",
          "amd_iommu=on iommu=pt",
        ]
      ])
    #expect(plan.diagnostics.filter { $0.code == .imageModeHost }.isEmpty)
    #expect(
      PlanMarkdownRenderer().render(plan).contains(
        "\nRun on the live host for `kernel_args[\"all\"]`: `bootc loader-entries set-options-for-source --source "
          + "virthost --options 'amd_iommu=on iommu=pt'`.\n"))
  }

  @Test func anOstreeOlderThan2026_1GetsRpmOstreeWithTheReason() throws {
    let (plan, _) = try Self.plan("ostree-deployed", tools: Self.oldTools) { try Self.dropInstallersIOMMU($0) }
    #expect(
      Self.commands(plan) == [
        ["rpm-ostree", "kargs", "--append-if-missing=amd_iommu=on", "--append-if-missing=iommu=pt"]
      ])
    #expect(
      plan.diagnostics.filter { $0.code == .imageModeHost }.map(\.summary) == [
        "rpm-ostree kargs, not bootc's --source virthost: ostree is 2025.6; bootc's sources need 2026.1 or later; "
          + "the arguments are then untracked"
      ])
  }

  @Test func anImageKargsDArgumentTheSpecMustRemoveIsRefusedNamingTheFile() throws {
    let spec = "kernel:\n  args:\n    absent: [console]\n"
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/ostree-deployed/root")
    let before = try root.snapshot()
    let plan = try Planner(root: root.host).plan(specText: spec, specFile: "host.yaml")
    #expect(
      plan.diagnostics.filter { $0.code == .imageModeHost }.map(\.summary) == [
        "console=ttyS0,115200n8 on /boot/loader.1/entries/ostree-1-fedora.conf comes from the image's "
          + "/sysroot/ostree/deploy/fedora/deploy/0e7d614827da7d129bc54a8b98fae790d658ca0cf90c7eae3baf634c9a237ffb.0/usr/lib/bootc/kargs.d/10-console.toml: change that file in the image; "
          + "removing an image's argument on the host is undefined behaviour per bootc's documentation"
      ])
    #expect(plan.hasErrors)
    #expect(Self.commands(plan).isEmpty)
    #expect(try root.snapshot() == before)
  }

  @Test func offlineTheApplyWritesNothingAndLeavesTheCommandToTheHost() throws {
    let (plan, root) = try Self.plan("ostree-deployed")
    let before = try root.snapshot()
    let report = try BootLoaderFamilyPlanTests.engine(root).apply(plan)
    #expect(report.applied.isEmpty)
    #expect(
      report.pendingCommands.map(\.arguments) == [
        [
          "rpm-ostree", "kargs", "--delete-if-present=amd_iommu=off", "--append=amd_iommu=on",
          "--append-if-missing=iommu=pt",
        ]
      ])
    #expect(report.backup == nil)
    #expect(try root.snapshot() == before)
  }

  /// On the live host the applier runs the one command. The stand-in bootc records its
  /// arguments and leaves what bootc leaves: the staged deployment's tree (ostree checks it
  /// out when it stages) and `/run/ostree/staged-deployment` as ostree serializes it for that
  /// call (`ostree-staged/by-bootc`, made with GLib's serializer). /boot is not touched; the
  /// plan after the apply reads the staged deployment: no change, pending the reboot.
  @Test func onTheLiveHostTheApplyRunsTheOneCommandAndTheStagedDeploymentIsThenPending() throws {
    let (plan, root) = try Self.plan("ostree-deployed", tools: Self.newTools) { try Self.dropInstallersIOMMU($0) }
    let tool = "/usr/bin/bootc"
    let staged = FixtureRoot.repository.appendingPathComponent(
      "Tests/BootLoaderTests/Fixtures/ostree-staged/by-bootc"
    ).path
    let deploy = "sysroot/ostree/deploy/fedora/deploy/0e7d614827da7d129bc54a8b98fae790d658ca0cf90c7eae3baf634c9a237ffb"
    try root.writeRecordingProgram(
      tool,
      then: "cp -a \"$root/\(deploy).0\" \"$root/\(deploy).1\"\n"
        + "mkdir -p \"$root/run/ostree\" && cp '\(staged)' \"$root/run/ostree/staged-deployment\"\n")
    let boot = try FixtureRoot.snapshot(of: root.path + "/boot")
    let report = try ImageModeTools.$probe.withValue(Self.newTools) {
      try BootLoaderFamilyPlanTests.engine(root, live: true).apply(plan)
    }
    #expect(
      report.applied == [
        "run bootc loader-entries set-options-for-source --source virthost --options 'amd_iommu=on iommu=pt'"
      ])
    #expect(
      try root.text(tool + ".args")
        == "loader-entries\nset-options-for-source\n--source\nvirthost\n--options\namd_iommu=on iommu=pt\n")
    let after = try #require(report.after)
    #expect(!after.hasChanges)
    #expect(
      after.diagnostics.filter { $0.code == .rebootRequired }.map(\.summary) == [
        "reboot required: the running kernel lacks amd_iommu=on iommu=pt"
      ])
    #expect(!after.diagnostics.contains { $0.code == .stagedDeploymentUnread })
    #expect(try FixtureRoot.snapshot(of: root.path + "/boot") == boot)
  }

  @Test func checkSaysPendingWhenTheNextDeploymentHasThemAndTheRunningKernelNot() throws {
    let (plan, _) = try Self.plan("ostree-two-deployments")
    #expect(!plan.hasChanges)
    let notes = plan.diagnostics.filter { $0.code == .rebootRequired }
    #expect(notes.map(\.summary) == ["reboot required: the running kernel lacks amd_iommu=on iommu=pt"])
    #expect(Diagnostic.Code.rebootRequired.contribution == .pending)
    // In neither the next deployment nor the running kernel: a change (drifted).
    let (drifted, _) = try Self.plan("ostree-deployed")
    #expect(drifted.hasChanges)
  }

  /// A staged deployment without its own arguments (ostree's file without `kargs`: the merge
  /// deployment's are used at finalization) leaves the state unknown.
  @Test func aStagedDeploymentWithoutItsOwnArgumentsMakesTheStateUnknown() throws {
    let (plan, _) = try Self.plan("ostree-two-deployments") { root in
      try FileManager.default.createDirectory(atPath: root.path + "/run/ostree", withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        atPath: FixtureRoot.repository.appendingPathComponent("Tests/BootLoaderTests/Fixtures/ostree-staged/no-kargs")
          .path,
        toPath: root.path + "/run/ostree/staged-deployment")
    }
    #expect(!plan.hasChanges)
    #expect(plan.diagnostics.filter { $0.code == .stagedDeploymentUnread }.count == 1)
    #expect(Diagnostic.Code.stagedDeploymentUnread.contribution == .unknown)
  }

  /// The plans as `virthost plan --diff` prints them: no file under /boot, the kargs call in
  /// both forms (rpm-ostree offline; bootc's source form with the tools' answers).
  @Test(arguments: [("ostree-deployed", false), ("ostree-source", true)])
  func thePlanTextIsGolden(_ name: String, _ source: Bool) throws {
    let (plan, root) = try Self.plan("ostree-deployed", tools: source ? Self.newTools : nil) {
      if source { try Self.dropInstallersIOMMU($0) }
    }
    #expect(plan.fileOperations.isEmpty)
    let text = PlanTextRenderer(diff: true).render(plan).replacingOccurrences(of: root.path, with: "ROOT")
    #expect(text == (try Golden.text("Tests/EngineTests/Fixtures/expected/\(name)/plan.txt", recording: text)))
  }
}
