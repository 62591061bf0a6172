import Augeas
import Engine
import Foundation
import RootFS
import TestSupport
import Testing

/// `virthost plan --hosts DIR`: one desired state planned on many roots in one
/// process, each plan the same as that host's own plan.
@Suite struct FleetTests {
  /// A folder of hosts: `names` copies of `example`'s root, removed when released.
  final class Hosts: @unchecked Sendable {
    // @unchecked: `path` is immutable after init; deinit only removes the folder.
    let path: String

    init(_ example: String, _ names: [String]) throws {
      path = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-fleet-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      let source = FixtureRoot.repository.appendingPathComponent("examples/\(example)/root").path
      for name in names { try FixtureRoot.copyTree(source, to: path + "/" + name) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func append(_ host: String, _ file: String, _ text: String) throws {
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + "/" + host + file))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    }
  }

  static let specFile = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path

  static func spec() throws -> (text: String, parsed: HostSpec) {
    let text = try String(contentsOfFile: specFile, encoding: .utf8)
    return (text, try SpecParser.parse(text, file: specFile))
  }

  @Test func eachHostsPlanIsTheSameAsItsOwnPlanAndABrokenHostDoesNotStopTheOthers() throws {
    let hosts = try Hosts("centos6-amd", ["b", "a", "c"])
    try hosts.append("b", "/boot/grub/grub.conf", "title broken\n\tbogus line\n")
    let fleet = Fleet(directory: hosts.path)
    let list = try fleet.hosts()
    #expect(list.map(\.name) == ["a", "b", "c"])
    #expect(list.map(\.root.path) == ["a", "b", "c"].map { hosts.path + "/" + $0 })
    let spec = try Self.spec()
    var plans: [String: Plan] = [:]
    fleet.plan(spec.parsed, specText: spec.text, specFile: Self.specFile, hosts: list) { host, plan in
      plans[host.name] = plan
    }
    #expect(plans.count == 3)
    for name in ["a", "b", "c"] {
      // Planned alone, with a pool of its own: the same document, byte for byte.
      let alone = Planner(root: try HostRoot(hosts.path + "/" + name)).plan(
        spec.parsed, specText: spec.text, specFile: Self.specFile)
      #expect(PlanDocument(try #require(plans[name])).json() == PlanDocument(alone).json())
    }
    let broken = try #require(plans["b"])
    #expect(
      broken.diagnostics.filter { $0.severity == .error }.map(\.summary) == [
        "/boot/grub/grub.conf:19:1: unknown line: bogus line (the Grub lens does not know 'bogus' here) (the file is also reached as /boot/grub/menu.lst, /etc/grub.conf)"
      ])
    #expect(
      broken.changes.map(\.address.description) == [
        "file[\"/etc/ksmtuned.conf\"]", "service[\"ksm\"]", "service[\"ksmtuned\"]",
      ])
    for name in ["a", "c"] {
      let plan = try #require(plans[name])
      #expect(!plan.hasErrors)
      #expect(plan.summary == "Plan: 2 to change, 2 to enable.")
      let kernel = try #require(plan.changes.first)
      #expect(kernel.files.map(\.path) == ["/boot/grub/grub.conf"])
    }
  }

  @Test func planHostsPrintsOneReportPerHostAndFailsWhenOneHostFails() throws {
    let hosts = try Hosts("centos6-amd", ["one", "two"])
    let good = try ProgramRun.virthost(["plan", Self.specFile, "--hosts", hosts.path, "--detailed-exitcode"])
    #expect(good.status == 2)
    let alone = try ProgramRun.virthost(["plan", Self.specFile, "--root", hosts.path + "/one"])
    let blocks = good.output.components(separatedBy: "=== ")
    #expect(blocks.count == 3)
    #expect(blocks[1] == "one (\(hosts.path)/one)\n" + alone.output)
    #expect(good.output.hasSuffix("Planned 2 hosts: 2 with changes, 0 without, 0 with errors.\n"))

    try hosts.append("two", "/etc/ksmtuned.conf", "KSM_NPAGES_MAX=\"unterminated\n")
    let bad = try ProgramRun.virthost(["plan", Self.specFile, "--hosts", hosts.path, "--detailed-exitcode"])
    #expect(bad.status == 1)
    #expect(bad.output.components(separatedBy: "=== ")[1] == "one (\(hosts.path)/one)\n" + alone.output)
    #expect(bad.output.hasSuffix("Planned 2 hosts: 1 with changes, 0 without, 1 with errors (two).\n"))
  }

  @Test func hostsCannotBeCombinedWithOutOrRoot() throws {
    let hosts = try Hosts("centos6-amd", ["one"])
    let out = try ProgramRun.virthost(["plan", Self.specFile, "--hosts", hosts.path, "--out", "plan.json"])
    #expect(out.status == 64)
    #expect(out.error.contains("--out saves one host's plan; it cannot be used with --hosts."))
    let root = try ProgramRun.virthost(["plan", Self.specFile, "--hosts", hosts.path, "--root", hosts.path])
    #expect(root.status == 64)
  }
}
