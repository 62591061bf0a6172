import Foundation
import TestSupport
import Testing

/// The result of one `ansible-playbook` run.
private struct PlaybookRun {
  var status: Int32
  var output: String

  /// The `changed=N` count of the PLAY RECAP line of `host`.
  func changed(_ host: String) -> Int? {
    guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(host + " ") && $0.contains("ok=") })
    else { return nil }
    let field = line.split(separator: " ").first { $0.hasPrefix("changed=") }
    return field.flatMap { Int($0.dropFirst("changed=".count)) }
  }
}

/// examples/ansible with the real ansible-core and the built `virthost` as the
/// module, on copies of the example roots in a temporary fleet folder.
@Suite(.serialized) struct AnsiblePlaybookTests {
  let work: URL
  let fleet: String
  let hosts = ["centos6-amd", "intel-grub2-systemd"]

  init() throws {
    work = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-ansible-\(UUID().uuidString)")
    let library = work.appendingPathComponent("library")
    try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
    let binary = FixtureRoot.repository.appendingPathComponent(".build/debug/virthost")
    try FileManager.default.copyItem(at: binary, to: library.appendingPathComponent("virthost"))
    fleet = work.appendingPathComponent("fleet").path
  }

  private func playbook(_ extra: [String]) throws -> PlaybookRun {
    let examples = FixtureRoot.repository.appendingPathComponent("examples/ansible").path
    let arguments =
      [
        "ansible-playbook", "-i", examples + "/inventory.ini", examples + "/site.yml", "-e", "fleet_dir=\(fleet)",
        "-e",
        "virthost_ksmtuned=" + FixtureRoot.repository.appendingPathComponent(".build/debug/virthost-ksmtuned").path,
      ] + extra
    var environment = ProcessInfo.processInfo.environment
    environment["ANSIBLE_LIBRARY"] = work.appendingPathComponent("library").path
    environment["ANSIBLE_LOCAL_TEMP"] = work.appendingPathComponent("tmp").path
    environment["ANSIBLE_REMOTE_TEMP"] = work.appendingPathComponent("remote-tmp").path
    environment["ANSIBLE_NOCOLOR"] = "1"
    environment["ANSIBLE_FORCE_COLOR"] = "0"
    environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0"
    let run = try ProgramRun.run("/usr/bin/env", arguments, environment: environment)
    return PlaybookRun(status: run.status, output: run.output + run.error)
  }

  @Test func checkDiffReviewsThenARunAppliesThenASecondRunChangesNothing() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    // The fleet's roots exist before the first run, so the copy task is a no-op and
    // every `changed` counted below is virthost's.
    for host in hosts {
      try FileManager.default.createDirectory(atPath: fleet, withIntermediateDirectories: true)
      let copy = try FixtureRoot("examples/\(host)/root")
      try FileManager.default.copyItem(atPath: copy.path, toPath: fleet + "/" + host)
    }
    let seedGrub = fleet + "/centos6-amd/boot/grub/grub.conf"
    let original = try String(contentsOfFile: seedGrub, encoding: .utf8)

    let review = try playbook(["--check", "--diff"])
    #expect(review.status == 0, "\(review.output)")
    for host in hosts { #expect(review.changed(host) == 1, "\(host): \(review.output)") }
    #expect(review.output.contains("--- before: a/boot/grub/grub.conf"))
    #expect(review.output.contains("+++ after: b/boot/grub/grub.conf"))
    #expect(review.output.contains("+\tkernel /vmlinuz-2.6.32-71.29.1.el6.x86_64 ro root=/dev/mapper/vg_mnss-lv_root"))
    #expect(try String(contentsOfFile: seedGrub, encoding: .utf8) == original, "check mode wrote nothing")

    let apply = try playbook([])
    #expect(apply.status == 0, "\(apply.output)")
    for host in hosts { #expect(apply.changed(host) == 1, "\(host): \(apply.output)") }
    #expect(try String(contentsOfFile: seedGrub, encoding: .utf8).contains("vga=795 amd_iommu=on\n"))

    let again = try playbook([])
    #expect(again.status == 0, "\(again.output)")
    for host in hosts { #expect(again.changed(host) == 0, "\(host): \(again.output)") }
  }
}
