import Foundation
import TestSupport
import Testing

@testable import Commands

private let seedSpec = """
  {"spec_file": "SPEC", "root": "ROOT", "_ansible_check_mode": CHECK, "_ansible_diff": true}
  """

/// Runs the module on the seed example's copy at `root`, as Ansible would.
private func runSeed(root: FixtureRoot, check: Bool) throws -> [String: Any] {
  let spec = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path
  let json = seedSpec.replacingOccurrences(of: "SPEC", with: spec).replacingOccurrences(of: "ROOT", with: root.path)
    .replacingOccurrences(of: "CHECK", with: check ? "true" : "false")
  let (output, _) = AnsibleModule.run(argumentsFile: try argumentsFile(json))
  #expect(!output.contains("\n"), "one JSON line")
  return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
}

@Suite struct AnsibleModuleTests {
  @Test func checkModeReportsTheSeedPlanWithDiffsAndWritesNothing() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let before = try root.snapshot()
    let result = try runSeed(root: root, check: true)
    #expect(result["failed"] as? Bool == false)
    #expect(result["changed"] as? Bool == true)
    // Another root's reboot is not this host's (a playbook would reboot the wrong machine).
    #expect(result["reboot_required"] as? Bool == false)
    #expect(result["reboot_pending_for_root"] as? Bool == true)
    // Guests are this host's only: none for an image.
    #expect(result["guests_running"] as? Int == 0)
    // check's verdict of the host as found: the seed host's files differ (drifted).
    let check = try #require(result["check"] as? [String: Any])
    #expect(check["status"] as? String == "CRITICAL")
    #expect((check["line"] as? String)?.hasPrefix("VIRTHOST CRITICAL - ") == true)
    let diff = try #require(result["diff"] as? [[String: String]])
    let grub = try #require(diff.first { $0["after_header"] == "b/boot/grub/grub.conf" })
    #expect(grub["before_header"] == "a/boot/grub/grub.conf")
    #expect(
      grub["after"] == (grub["before"] ?? "").replacingOccurrences(of: "vga=795\n", with: "vga=795 amd_iommu=on\n"))
    #expect(diff.contains { $0["after_header"] == "b/etc/ksmtuned.conf" })
    let facts = try #require(result["facts"] as? [String: Any])
    #expect(facts["schema_version"] as? Int == 1)
    #expect(try root.snapshot() == before)
  }

  @Test func aRunAppliesAndASecondRunReportsNoChange() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let first = try runSeed(root: root, check: false)
    #expect(first["failed"] as? Bool == false, "\(first["msg"] ?? "")")
    #expect(first["changed"] as? Bool == true)
    #expect(try root.text("/boot/grub/grub.conf").contains("vga=795 amd_iommu=on\n"))
    // The verdict after the apply: the files are right, the running kernel lacks amd_iommu=on.
    let check = try #require(first["check"] as? [String: Any])
    #expect(check["status"] as? String == "WARNING", "\(check)")
    let second = try runSeed(root: root, check: false)
    #expect(second["changed"] as? Bool == false)
    #expect(second["diff"] as? [[String: String]] == [])
    // The first run's apply converged and kept its trace: the second run parsed nothing.
    let firstPath = try #require((first["plan"] as? [String: Any])?["read_path"] as? [String: String])
    #expect(firstPath == ["taken": "full", "reason": "no trace of a converged apply"])
    let secondPath = try #require((second["plan"] as? [String: Any])?["read_path"] as? [String: String])
    #expect(secondPath["taken"] == "converged")
  }

  @Test func aSpecThatDoesNotParseFailsWithItsPosition() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let path = try argumentsFile(#"{"spec": {"iommu": "sideways"}, "root": "\#(root.path)"}"#)
    let (json, status) = AnsibleModule.run(argumentsFile: path)
    #expect(status == 1)
    let result = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(result["failed"] as? Bool == true)
    let message = try #require(result["msg"] as? String)
    #expect(message.hasPrefix("the desired state is invalid: "))
    #expect(message.contains("iommu"))
  }
}
