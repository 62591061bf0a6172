import Foundation
import TestSupport
import Testing

/// The playbook `virthost.kvm.rolling` with the real ansible-playbook, on four local hosts
/// (copies of the seed example's root): a canary batch of its own, then the batches asked
/// for, in order, and a summary; a canary that fails stops the rollout before any other host.
@Suite(.serialized) struct RollingPlaybookTests {
  let work: URL
  let names = ["h1", "h2", "h3", "h4"]

  init() throws {
    work = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-rolling-\(UUID().uuidString)")
  }

  /// An inventory of the four hosts, each a copy of the seed root; `canary` is h1's spec.
  private func inventory(canary: String? = nil) throws -> String {
    let fleet = work.appendingPathComponent("fleet").path
    let seed = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd")
    for name in names {
      try FileManager.default.createDirectory(atPath: fleet, withIntermediateDirectories: true)
      let copy = try ProgramRun.run("/bin/cp", ["-a", seed.path + "/root", fleet + "/" + name])
      try #require(copy.status == 0, "\(copy.transcript)")
    }
    let hosts = names.map { name in
      name == "h1" && canary != nil ? "    \(name):\n      virthost_spec: \(canary!)\n" : "    \(name): {}\n"
    }.joined()
    let text = """
      kvm_hosts:
        hosts:
      \(hosts)  vars:
          ansible_connection: local
          ansible_python_interpreter: "{{ ansible_playbook_python }}"
          virthost_root: "\(fleet)/{{ inventory_hostname }}"
          virthost_executable: "{{ virthost_root }}/usr/bin/virthost"
          virthost_spec_file: "{{ virthost_root }}/etc/virthost/host.yaml"
          virthost_spec: "{{ lookup('ansible.builtin.file', '\(seed.path)/host.yaml') | from_yaml }}"

      """
    let path = work.appendingPathComponent("inventory.yml")
    try Data(text.utf8).write(to: path)
    return path.path
  }

  private func rolling(_ collection: InstalledCollection, _ inventory: String, _ extra: [String]) throws -> ProgramRun {
    var environment = collection.environment
    environment["ANSIBLE_LOCAL_TEMP"] = work.appendingPathComponent("tmp").path
    return try ProgramRun.run(
      "/usr/bin/env",
      ["ansible-playbook", "-i", inventory, "virthost.kvm.rolling", "-e", "virthost_binary=" + ProgramRun.virthost]
        + extra, environment: environment)
  }

  /// The hosts of each run of the module's task, in order: one list per batch (a batch's
  /// hosts in the order their forks answered).
  private func batches(_ output: String) -> [[String]] {
    output.components(separatedBy: "TASK [virthost.kvm.host : Desired KVM host state]").dropFirst().map { part in
      let task = part.components(separatedBy: "\nTASK [").first ?? ""
      return task.split(separator: "\n").compactMap { line -> String? in
        guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"),
          line.hasPrefix("ok:") || line.hasPrefix("changed:") || line.hasPrefix("fatal:")
        else { return nil }
        return String(line[line.index(after: open)..<close])
      }
    }
  }

  @Test func aCanaryBatchFirstThenTheBatchesAskedForAndASummary() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let run = try rolling(collection, try inventory(), ["-e", #"{"virthost_serial": [1, 2]}"#])
    let output = run.output + run.error
    #expect(run.status == 0, "\(output)")
    #expect(batches(output).map { $0.sorted() } == [["h1"], ["h2", "h3"], ["h4"]], "\(output)")
    let summary = try #require(output.range(of: "TASK [Which hosts changed, rebooted or are not in sync]"), "\(output)")
    let text = output[summary.upperBound...].filter { !$0.isWhitespace }
    #expect(text.contains(#""changed":["h1","h2","h3","h4"]"#), "\(output)")
    #expect(text.contains(#""rebooted":[]"#), "\(output)")
    // Offline roots wait for their boot: applied, pending, so not in sync yet.
    #expect(text.contains(#""not_in_sync":["h1","h2","h3","h4"]"#), "\(output)")
  }

  @Test func aFailingCanaryStopsTheRolloutBeforeAnyOtherHost() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let inventory = try inventory(canary: "{iommu: sideways}")
    let pristine = try FixtureRoot.snapshot(of: work.appendingPathComponent("fleet/h2").path)
    let run = try rolling(collection, inventory, [])
    let output = run.output + run.error
    #expect(run.status != 0, "\(output)")
    #expect(batches(output) == [["h1"]], "\(output)")
    #expect(!output.contains("[h2]") && !output.contains("[h3]") && !output.contains("[h4]"), "\(output)")
    #expect(try FixtureRoot.snapshot(of: work.appendingPathComponent("fleet/h2").path) == pristine)
  }
}
