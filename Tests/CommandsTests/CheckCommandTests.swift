import ArgumentParser
import Editors
import Engine
import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

/// `virthost check`: the examples before apply (drifted, 2), after apply
/// on an offline copy (pending reboot, 1), after a simulated reboot (in sync, 0), and what
/// cannot be read (unknown, 3).
@Suite struct CheckCommandTests {
  static func example(_ name: String) -> String {
    FixtureRoot.repository.appendingPathComponent("examples/\(name)/host.yaml").path
  }

  static func check(_ name: String, _ root: FixtureRoot, _ format: String = "line") throws -> ProgramRun {
    try ProgramRun.virthost(["check", example(name), "--root", root.path, "--format", format])
  }

  /// The copy "rebooted": its `/proc/cmdline` replaced by the arguments the boot loader's
  /// default entry now configures, as `virthost facts` reads them.
  static func reboot(_ root: FixtureRoot) throws {
    let facts = HostFacts.gather(root: root.host)
    let arguments = try #require(facts.boot.configuredArguments.value)
    try root.write("/proc/cmdline", arguments.joined(separator: " ") + "\n")
  }

  /// GRUB legacy (centos6-amd): drifted, then pending reboot, then in sync.
  @Test func theSeedIsDriftedThenPendingRebootThenInSync() throws {
    let name = "centos6-amd"
    let root = try FixtureRoot("examples/\(name)/root")
    let before = try Self.check(name, root)
    #expect(before.status == 2, "\(before.transcript)")
    #expect(before.output.hasPrefix("VIRTHOST CRITICAL - "))
    #expect(before.output.contains(" drifted"))
    #expect(try ProgramRun.virthost(["apply", Self.example(name), "--root", root.path]).status == 0)
    let applied = try Self.check(name, root)
    #expect(applied.status == 1, "\(applied.transcript)")
    #expect(applied.output.hasPrefix("VIRTHOST WARNING - 1 pending reboot, "))
    #expect(applied.output.contains(" drifted=0 pending=1 unknown=0 failed_checks=0\n"))
    try Self.reboot(root)
    let rebooted = try Self.check(name, root)
    #expect(rebooted.status == 0, "\(rebooted.transcript)")
    #expect(rebooted.output.hasPrefix("VIRTHOST OK - "))
    #expect(rebooted.output.contains(" drifted=0 pending=0 unknown=0 failed_checks=0\n"))
  }

  /// GRUB 2 (intel-grub2-systemd): an offline apply cannot run grub-mkconfig, so grub.cfg stays
  /// stale: apply exits 3 and the check says pending regeneration (and, until the simulated
  /// reboot, pending reboot); a reboot alone does not put it in sync.
  @Test func aGrub2ExampleAppliedOfflineStaysPendingRegeneration() throws {
    let name = "intel-grub2-systemd"
    let root = try FixtureRoot("examples/\(name)/root")
    let before = try Self.check(name, root)
    #expect(before.status == 2, "\(before.transcript)")
    #expect(before.output.hasPrefix("VIRTHOST CRITICAL - "))
    #expect(try ProgramRun.virthost(["apply", Self.example(name), "--root", root.path]).status == 3)
    let applied = try Self.check(name, root)
    #expect(applied.status == 1, "\(applied.transcript)")
    #expect(applied.output.hasPrefix("VIRTHOST WARNING - 1 pending regeneration, 1 pending reboot, "))
    #expect(applied.output.contains(" drifted=0 pending=2 unknown=0 failed_checks=0\n"))
    // An item asked for by several keys: its ID joins them with `+`, no blank inside.
    let text = try Self.check(name, root, "text")
    #expect(
      text.output.hasPrefix(
        "pending reboot        iommu+iommu_passthrough+kernel.args.absent+kernel.args.present/kernel_args:all\n"))
    try Self.reboot(root)
    let rebooted = try Self.check(name, root)
    #expect(rebooted.status == 1, "\(rebooted.transcript)")
    #expect(rebooted.output.hasPrefix("VIRTHOST WARNING - 1 pending regeneration, "))
    #expect(rebooted.output.contains(" drifted=0 pending=1 unknown=0 failed_checks=0\n"))
  }

  @Test func theSeedHostBeforeApplyIsExactlyThisLine() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let run = try Self.check("centos6-amd", root)
    #expect(
      run.output
        == "VIRTHOST CRITICAL - 4 drifted | in_sync=0 drifted=4 pending=0 unknown=0 failed_checks=0\n")
  }

  @Test func theTextShowsDesiredConfiguredAndActivePerItem() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    #expect(try ProgramRun.virthost(["apply", Self.example("centos6-amd"), "--root", root.path]).status == 0)
    let run = try Self.check("centos6-amd", root, "text")
    #expect(run.status == 1)
    #expect(
      run.output.hasPrefix(
        """
        pending reboot        iommu/kernel_args:all
            desired:    amd_iommu=on
            configured: amd_iommu=on
            active:     the running kernel lacks amd_iommu=on
            why:        reboot required: the running kernel lacks amd_iommu=on
        in sync               ksm.settings/file:/etc/ksmtuned.conf

        """))
    #expect(
      run.output.contains(
        """
        in sync               ksm.enabled/service:ksm
            desired:    enabled
            configured: enabled
            active:     not applicable (offline root: no service manager runs)
        """))
  }

  @Test func theJSONHasStableIDsForItemsAndChecks() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let first = try Self.check("centos6-amd", root, "json")
    let second = try Self.check("centos6-amd", root, "json")
    #expect(first.status == 2)
    #expect(first.output == second.output)
    let document = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
    #expect(document["schema_version"] as? Int == 1)
    let items = try #require(document["items"] as? [[String: Any]])
    #expect(
      items.compactMap { $0["id"] as? String } == [
        "iommu/kernel_args:all", "ksm.settings/file:/etc/ksmtuned.conf", "ksm.enabled/service:ksm",
        "ksm.tuner/service:ksmtuned",
      ])
    #expect(items.compactMap { $0["verdict"] as? String } == ["drifted", "drifted", "drifted", "drifted"])
    let checks = try #require(document["checks"] as? [[String: Any]])
    #expect(checks.count == 21)
    #expect(checks.first?["id"] as? String == "hardware-virtualization")
    #expect(checks.compactMap { $0["id"] as? String }.contains("dev-kvm-access"))
    let summary = try #require(document["summary"] as? [String: Any])
    #expect(summary["status"] as? String == "CRITICAL")
  }

  /// Unknown is an exit status thrown, never `exit(3)`: run inside this process, a root that
  /// does not exist ended the whole test run.
  @Test func unknownIsThrownAsTheExitStatusInsideTheProcess() throws {
    let command = try VirthostCommand.parseAsRoot([
      "check", Self.example("centos6-amd"), "--root", "/nonexistent-\(UUID().uuidString)", "--format", "line",
    ])
    #expect(command is CheckCommand)
    var runnable = command
    let error = #expect(throws: ExitCode.self) { try runnable.run() }
    #expect(error?.rawValue == 3)
  }

  @Test func aSpecOrRootThatCannotBeReadIsUnknown() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let invalid = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/invalid.yaml").path
    let bad = try ProgramRun.virthost(["check", invalid, "--root", root.path])
    #expect(bad.status == 3)
    #expect(bad.error.hasPrefix("\(invalid):1:8: error: iommu: must be one of on, off, unmanaged, not \"maybe\"\n"))
    let line = try ProgramRun.virthost(["check", invalid, "--root", root.path, "--format", "line"])
    #expect(line.status == 3)
    #expect(
      line.output
        == "VIRTHOST UNKNOWN - \(invalid):1:8: error: iommu: must be one of on, off, unmanaged, not \"maybe\"\n")
    let missing = try ProgramRun.virthost(["check", "/nowhere/host.yaml", "--root", root.path])
    #expect(missing.status == 3)
    #expect(missing.error == "error: cannot read /nowhere/host.yaml: no such file (write one with `virthost init`)\n")
    let noRoot = try ProgramRun.virthost(["check", Self.example("centos6-amd"), "--root", root.path + "/nowhere"])
    #expect(noRoot.status == 3)
    #expect(noRoot.error == "error: --root \(root.path)/nowhere does not exist\n")
    #expect(!FileManager.default.fileExists(atPath: root.path + "/nowhere"))
    let json = try ProgramRun.virthost([
      "check", Self.example("centos6-amd"), "--root", root.path + "/nowhere", "--format", "json",
    ])
    #expect(json.status == 3)
    let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    let diagnostics = document?["diagnostics"] as? [[String: Any]]
    #expect(diagnostics?.first?["code"] as? String == "missing-root")
  }

  /// The verdicts come from the plan generically: a regeneration planned with a file change is
  /// drifted (apply changes the file); a change whose only step is the regeneration is pending regeneration.
  @Test func aRegenerationIsDriftedWithItsFileAndPendingAlone() throws {
    let address = ResourceAddress(.kernelArgs, "all")
    var withFile = ResourceChange(address, actions: [.update], before: "", after: "iommu=pt", reason: "r", origin: "k")
    withFile.operations = [
      .writeFile(FileOperation(path: "/etc/default/grub", before: Data("a\n".utf8), after: Data("b\n".utf8))),
      .regenerateBootLoader,
    ]
    var alone = ResourceChange(
      ResourceAddress(.file, "/boot/grub/grub.cfg"), actions: [.update], before: "", after: "", reason: "stale",
      origin: "kernel")
    alone.operations = [.regenerateBootLoader]
    let plan = Plan(
      root: "/r", specFile: "h.yaml", specText: "", changes: [withFile, alone], diagnostics: [], observations: [],
      regeneration: Regeneration(program: "grub-mkconfig", outputs: ["/boot/grub/grub.cfg"]))
    let facts = HostFacts.gather(root: try FixtureRoot("examples/converged/root").host)
    let report = DriftReport(plan: plan, facts: facts, live: false)
    #expect(report.items.map(\.verdict) == [.drifted, .pendingRegeneration])
    #expect(report.summary.status == .critical)
    let pendingOnly = DriftReport(
      plan: Plan(
        root: "/r", specFile: "h.yaml", specText: "", changes: [alone], diagnostics: [], observations: [],
        regeneration: Regeneration(program: "grub-mkconfig", outputs: ["/boot/grub/grub.cfg"])),
      facts: facts, live: false)
    #expect(pendingOnly.summary.status == .warning)
    #expect(pendingOnly.summary.line.hasPrefix("VIRTHOST WARNING - 1 pending regeneration | "))
  }

  /// The host booted with its huge page arguments (the two-node facts fixture runs them);
  /// the kernel's pools are the effect: in sync while each node holds its pages, drifted
  /// (exit 2) naming the node and both counts when one is short, in sync again once restored.
  @Test func aNodeShortOfItsPagesAfterTheBootIsDriftedNamingNodeAndCounts() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/numa-two-nodes/root")
    let spec = root.path + "/../host.yaml"
    try "hugepages:\n  size: 1G\n  count: {0: 8, 1: 8}\n  default_size: 1G\n".write(
      toFile: spec, atomically: true, encoding: .utf8)
    func check() throws -> ProgramRun {
      try ProgramRun.virthost(["check", spec, "--root", root.path, "--format", "json"])
    }
    func drifted(_ run: ProgramRun) throws -> [String] {
      let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
      let items = try #require(report["items"] as? [[String: Any]])
      return items.filter { $0["verdict"] as? String == "drifted" }.map { "\($0["id"] ?? ""): \($0["reason"] ?? "")" }
    }
    let pool = "/sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages"
    // The fixture's boot loader files lack the arguments its running kernel has: that item
    // is drifted throughout; the effect adds its own.
    let before = try drifted(try check())
    #expect(
      before == [
        "hugepages/kernel_args:all: hugepages: reserved at boot needs default_hugepagesz=1G; hugepages: reserved at "
          + "boot needs hugepagesz=1G; hugepages: reserved at boot needs hugepages=0:8,1:8 on the kernel lines"
      ])
    try root.write(pool, "6\n")
    let short = try check()
    #expect(short.status == 2, "\(short.transcript)")
    #expect(
      try drifted(short) == before + [
        "hugepages.count.1/effect:effect-differs: NUMA node 1 holds 6 pages of 1G, not the 8 its boot arguments ask "
          + "for (\(pool))"
      ])
    try root.write(pool, "8\n")
    #expect(try drifted(try check()) == before)
  }

  @Test func slugsAreLowerCaseWordsJoinedByHyphens() {
    #expect(DriftReport.slug("/dev/kvm access") == "dev-kvm-access")
    #expect(DriftReport.slug("cgroup cpu controller") == "cgroup-cpu-controller")
    #expect(DriftReport.slug("64-bit CPU") == "64-bit-cpu")
  }
}
