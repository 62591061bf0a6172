import Foundation
import RootFS
import TestSupport
import Testing

@testable import Engine

/// The converged fast path cannot lie: after a converged apply, the plan that stands on
/// the trace and the plan that parses every file agree; any change to what the trace
/// covers (a byte of a file read, a name in a folder listed, the desired state, a fact)
/// refuses the trace, and the full plan's answer is the one given.
@Suite struct ConvergedTraceTests {
  /// Every example under `examples/` with a desired state and a root, found when the
  /// tests run (examples added later are covered without naming them here).
  static let examples: [String] = {
    let folder = FixtureRoot.repository.appendingPathComponent("examples").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { name in
      FileManager.default.fileExists(atPath: "\(folder)/\(name)/host.yaml")
        && FileManager.default.fileExists(atPath: "\(folder)/\(name)/root")
    }.sorted()
  }()

  /// A plan with the trace checked (`fast`) and one with every file parsed.
  static func bothPlans(_ host: ExampleHost, spec: String? = nil, profile: HostProfile? = nil) throws -> (
    fast: Plan, full: Plan
  ) {
    var planner = host.engine.planner
    if let profile { planner.profile = { _ in profile } }
    planner.usesTrace = true
    let fast = try planner.plan(specText: spec ?? host.specText, specFile: "host.yaml")
    planner.usesTrace = false
    let full = try planner.plan(specText: spec ?? host.specText, specFile: "host.yaml")
    return (fast, full)
  }

  /// What a user sees of a plan and what apply checks, the read path left out.
  static func shown(_ plan: Plan, _ host: ExampleHost) -> String {
    var document = PlanDocument(plan)
    document.readPath = nil
    let text = host.text(plan).split(separator: "\n", omittingEmptySubsequences: false).dropLast(2)
    return document.json() + text.joined(separator: "\n")
  }

  /// Checks that both paths agree; returns whether the fast one was taken.
  @discardableResult
  static func agree(_ host: ExampleHost, spec: String? = nil, profile: HostProfile? = nil, _ comment: String)
    throws -> Bool
  {
    let (fast, full) = try bothPlans(host, spec: spec, profile: profile)
    #expect(shown(fast, host) == shown(full, host), "\(host.name): \(comment)")
    if case .full(let reason) = full.readPath { #expect(reason == "--no-cache") }
    if case .converged = fast.readPath { return true }
    return false
  }

  /// The file `path` of the example's root on this machine, links resolved inside the root
  /// (never on the live host).
  static func inside(_ host: ExampleHost, _ path: String) throws -> URL {
    let resolved = try #require(host.root.host.hostPath(path))
    #expect(resolved.hasPrefix(host.root.host.path + "/"))
    return URL(fileURLWithPath: resolved)
  }

  /// Applies the example's desired state; whether the apply converged (and kept a trace).
  static func converge(_ host: ExampleHost) throws -> Bool {
    let report = try host.engine.apply(try host.plan())
    return report.pendingRegeneration == nil && host.root.host.isFile(ConvergedTrace.path)
  }

  @Test(arguments: examples) func fastAndFullPathsAgreeAfterApplyAndAfterRollback(_ name: String) throws {
    let host = try ExampleHost(name)
    #expect(try !Self.agree(host, "before any apply: no trace"))
    let converged = try Self.converge(host)
    let fast = try Self.agree(host, "after apply")
    #expect(fast == converged, "the fast path is taken exactly when the apply converged")
    if converged {
      let plan = try host.plan()
      #expect(plan.readPath.name == "converged")
      #expect(host.text(plan).hasSuffix("re-checked).\n"))
      #expect(PlanDocument(plan).json().contains(#""taken" : "converged""#))
    }
    if (try? host.engine.rollback()) != nil {
      #expect(try !Self.agree(host, "after rollback"), "the rolled-back files no longer match the trace")
    }
  }

  @Test(arguments: examples) func oneChangedByteOfAnyTracedFileRefusesTheTrace(_ name: String) throws {
    let host = try ExampleHost(name)
    guard try Self.converge(host) else { return }
    let trace = try #require(try? ConvergedTrace.load(host.root.host).get())
    var random = SeededGenerator(label: "ConvergedTraceTests.\(name)")
    let files = trace.reads.records.compactMap { record -> String? in
      guard case .read(let path) = record.probe, record.answer.hasPrefix("sha256:") else { return nil }
      return path
    }
    #expect(!files.isEmpty)
    for file in files {
      let url = try Self.inside(host, file)
      let original = try Data(contentsOf: url)
      guard !original.isEmpty else { continue }
      for _ in 0..<2 {
        var changed = original
        let offset = Int(random.next() % UInt64(changed.count))
        changed[offset] = changed[offset] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try changed.write(to: url)
        #expect(try !Self.agree(host, "byte \(offset) of \(file) changed"), "\(file) byte \(offset)")
      }
      try original.write(to: url)
    }
    #expect(try Self.agree(host, "every file back"), "the trace holds again once the bytes are back")
  }

  @Test(arguments: examples) func aFileAddedOrRemovedInAnyTracedFolderRefusesTheTrace(_ name: String) throws {
    let host = try ExampleHost(name)
    guard try Self.converge(host) else { return }
    let trace = try #require(try? ConvergedTrace.load(host.root.host).get())
    let folders = trace.reads.records.compactMap { record -> (String, [String])? in
      guard case .list(let path, _) = record.probe, record.answer.hasPrefix("names:") else { return nil }
      return (path, record.answer.split(separator: "\n").dropFirst().map(String.init))
    }
    for (folder, names) in folders {
      let added = try Self.inside(host, folder).appendingPathComponent("zz-virthost-test.conf")
      try Data("# added by a test\n".utf8).write(to: added)
      #expect(try !Self.agree(host, "a file added to \(folder)"), "\(folder): added")
      try FileManager.default.removeItem(at: added)
      guard let first = names.first else { continue }
      let removed = try Self.inside(host, folder).appendingPathComponent(first)
      let kept = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-kept-\(UUID())")
      try FileManager.default.moveItem(at: removed, to: kept)
      #expect(try !Self.agree(host, "\(first) removed from \(folder)"), "\(folder): removed \(first)")
      try FileManager.default.moveItem(at: kept, to: removed)
    }
    #expect(try Self.agree(host, "every folder back"), "the trace holds again once the folders are back")
  }

  @Test(arguments: examples) func aChangedDesiredStateOrFactRefusesTheTrace(_ name: String) throws {
    let host = try ExampleHost(name)
    guard try Self.converge(host) else { return }
    #expect(try !Self.agree(host, spec: host.specText + "\n# edited\n", "the desired state edited"))
    var profile = HostProfile.read(root: host.root.host)
    profile.vendor = profile.vendor == .amd ? .intel : .amd
    #expect(try !Self.agree(host, profile: profile, "the CPU vendor changed"))
    profile = HostProfile.read(root: host.root.host)
    profile.runningCommandLine = (profile.runningCommandLine ?? "") + " changed=1"
    #expect(try !Self.agree(host, profile: profile, "the running kernel's command line changed"))
    #expect(try Self.agree(host, "nothing changed"))
  }

  /// A trace is sealed for its root: copied into another converged copy of the same
  /// example (same spec, same facts, same bytes), it is not used there.
  @Test(arguments: examples) func aTraceCopiedFromAnotherRootIsNotUsed(_ name: String) throws {
    let first = try ExampleHost(name)
    let second = try ExampleHost(name)
    guard try Self.converge(first), try Self.converge(second) else { return }
    #expect(try Self.agree(second, "its own trace"))
    try FileManager.default.removeItem(atPath: second.root.path + ConvergedTrace.path)
    try FileManager.default.copyItem(
      atPath: first.root.path + ConvergedTrace.path, toPath: second.root.path + ConvergedTrace.path)
    #expect(try !Self.agree(second, "the first root's trace"))
    #expect(try second.plan().readPath == .full("trace not written on this machine"))
  }

  /// tuned's profile and arguments, irqbalance and systemd are read while host.yaml is
  /// expanded, outside the read recorder: they are in the trace's key (the facts digest), so
  /// a trace made before tuned's profile changed is not used (it was, and the plan said
  /// converged while `--no-cache` added isolcpus, nohz_full and rcu_nocbs).
  @Test func tunedIrqbalanceAndSystemdAreInTheTracesKey() throws {
    let host = try ExampleHost("numa-pinned")
    let spec = "cpu:\n  isolated: \"1-3,5-7\"\n"
    func key() throws -> String {
      var planner = host.engine.planner
      planner.recordsTrace = true
      planner.usesTrace = false
      return try #require(try planner.plan(specText: spec, specFile: "host.yaml").trace?.key.factsDigest)
    }
    let before = try key()
    try host.root.write("/etc/tuned/active_profile", "cpu-partitioning\n")
    try host.root.write(
      "/etc/tuned/bootcmdline", "TUNED_BOOT_CMDLINE=\"isolcpus=managed_irq,domain,1-3,5-7 nohz_full=1-3,5-7\"\n")
    let tuned = try key()
    #expect(tuned != before, "tuned's profile is in the key")
    try FileManager.default.removeItem(atPath: host.root.path + "/etc/tuned/active_profile")
    #expect(try key() == before, "the profile switched off: the key of before")
    try FileManager.default.removeItem(atPath: host.root.path + "/etc/default/irqbalance")
    #expect(try key() != before, "irqbalance's file is in the key")
  }

  @Test func aTraceThatIsASymlinkWritableByOthersOrCorruptIsIgnored() throws {
    let host = try ExampleHost("centos6-amd")
    guard try Self.converge(host) else {
      Issue.record("the seed example converges offline")
      return
    }
    let path = host.root.path + ConvergedTrace.path
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    chmod(path, 0o666)
    #expect(try !Self.agree(host, "a trace others can write"))
    #expect(
      try host.plan().readPath
        == .full(
          "\(path) is a file writable by its group or others (mode 666), so another user could have planted or read "
            + "it: make it and every folder above it root's and writable by root alone (chown root:root, chmod go-w); "
            + "the trace is ignored"))
    chmod(path, 0o600)
    #expect(try Self.agree(host, "the trace restored"))
    try FileManager.default.moveItem(atPath: path, toPath: path + ".real")
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "converged-trace.v2.json.real")
    #expect(try !Self.agree(host, "a symlinked trace"))
    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.removeItem(atPath: path + ".real")
    try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
    #expect(try !Self.agree(host, "a truncated trace"))
    #expect(try host.plan().readPath == .full("the trace \(ConvergedTrace.path) is not in virthost's format; ignored"))
  }

  @Test func anApplyWithNothingToDoKeepsATraceAndWritesNothingElse() throws {
    let host = try ExampleHost("converged")
    let before = try host.root.snapshot()
    let report = try host.engine.apply(try host.plan())
    #expect(report.applied.isEmpty && report.backup == nil)
    let after = try host.root.snapshot()
    // Only the engine's folder: the trace, the lock, and the folders above them when new.
    let engine = ["var", "var/lib", "var/lib/virthost"]
    #expect(
      after.filter { !$0.key.hasPrefix("var/lib/virthost/") && (before[$0.key] != nil || !engine.contains($0.key)) }
        == before)
    #expect(after["var/lib/virthost/converged-trace.v2.json"] != nil)
    #expect(try host.plan().readPath.name == "converged")
  }

  /// Found by ApplyKillTests: an apply killed between the trace's write and its rename leaves a
  /// temporary beside it; the next keep removes it, as the applier does for the files it writes.
  @Test func keepingATraceRemovesATemporaryThatAKilledKeepLeft() throws {
    let host = try ExampleHost("converged")
    try host.root.write("/var/lib/virthost/.converged-trace.v2.json.virthost-7o7kOz", "{\"format\"")
    _ = try host.engine.apply(try host.plan())
    let names = try FileManager.default.contentsOfDirectory(atPath: host.root.path + "/var/lib/virthost").sorted()
    #expect(!names.contains { $0.hasPrefix(".converged-trace.v2.json.virthost-") }, "\(names)")
    #expect(names.contains("converged-trace.v2.json"))
  }

  @Test func planNeverWritesAndAnEmptyApplyKeepsTheTrace() throws {
    let host = try ExampleHost("centos6-amd")
    let before = try host.root.snapshot()
    _ = try host.plan()
    #expect(try host.root.snapshot() == before, "plan writes nothing, not even a trace")
    guard try Self.converge(host) else { return }
    let converged = try host.root.snapshot()
    _ = try host.plan()
    #expect(try host.root.snapshot() == converged)
    let info = try FileManager.default.attributesOfItem(atPath: host.root.path + ConvergedTrace.path)
    #expect((info[.posixPermissions] as? Int) == 0o600)
  }
}
