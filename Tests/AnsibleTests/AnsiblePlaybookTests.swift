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

/// examples/ansible with the real ansible-core: the role virthost.kvm.host of the built
/// collection (installed with ansible-galaxy into a temporary path) installs the built
/// `virthost` into each example host, writes its host.yaml and runs the module, on copies of
/// the example roots in a temporary fleet folder.
@Suite(.serialized) struct AnsiblePlaybookTests {
  let work: URL
  let fleet: String
  let hosts = ["centos6-amd", "intel-grub2-systemd"]

  init() throws {
    work = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-ansible-\(UUID().uuidString)")
    fleet = work.appendingPathComponent("fleet").path
  }

  private func playbook(_ collection: InstalledCollection, _ extra: [String], keep: Bool = false) throws -> PlaybookRun
  {
    let examples = FixtureRoot.repository.appendingPathComponent("examples/ansible").path
    let arguments =
      [
        "ansible-playbook", "-i", examples + "/inventory.ini", examples + "/site.yml", "-e", "fleet_dir=\(fleet)",
        "-e", "virthost_binary=" + ProgramRun.virthost, "-e", "virthost_ksmtuned_binary=" + ProgramRun.daemon,
      ] + extra
    var environment = collection.environment
    environment["ANSIBLE_LOCAL_TEMP"] = work.appendingPathComponent("tmp").path
    environment["ANSIBLE_REMOTE_TEMP"] = work.appendingPathComponent("remote-tmp").path
    if keep { environment["ANSIBLE_KEEP_REMOTE_FILES"] = "1" }
    let run = try ProgramRun.run("/usr/bin/env", arguments, environment: environment)
    return PlaybookRun(status: run.status, output: run.output + run.error)
  }

  /// The files Ansible put in the hosts' temporary folders for the module virthost (kept with
  /// ANSIBLE_KEEP_REMOTE_FILES): what it sends a host to run the module, by name and size.
  private func moduleFiles() throws -> [(name: String, size: Int)] {
    let remote = work.appendingPathComponent("remote-tmp").path
    var files: [(String, Int)] = []
    for folder in try FileManager.default.contentsOfDirectory(atPath: remote) {
      let names = try FileManager.default.contentsOfDirectory(atPath: remote + "/" + folder)
      guard names.contains(where: { $0.contains("virthost") }) else { continue }
      for name in names.sorted() {
        let size = try FileManager.default.attributesOfItem(atPath: "\(remote)/\(folder)/\(name)")[.size] as? Int
        files.append((name, size ?? 0))
      }
    }
    return files
  }

  /// The fleet's roots, made before the first run so that the playbook's copy task is a
  /// no-op and every `changed` counted is the role's.
  private func makeFleet() throws {
    try FileManager.default.createDirectory(atPath: fleet, withIntermediateDirectories: true)
    for host in hosts {
      let copy = try FixtureRoot("examples/\(host)/root")
      try FileManager.default.copyItem(atPath: copy.path, toPath: fleet + "/" + host)
    }
  }

  @Test func theRoleInstallsReviewsAppliesThenASecondRunChangesNothing() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    try makeFleet()
    let seedGrub = fleet + "/centos6-amd/boot/grub/grub.conf"
    let original = try String(contentsOfFile: seedGrub, encoding: .utf8)
    let executables = hosts.map { fleet + "/" + $0 + "/usr/bin/virthost" }

    // Check mode before virthost is on the hosts: nothing installed, nothing written, and the
    // plan skipped with the reason.
    let fresh = try playbook(collection, ["--check"])
    #expect(fresh.status == 0, "\(fresh.output)")
    for host in hosts {
      #expect(fresh.output.contains("check mode: virthost is not on the host yet (\(fleet)/\(host)/usr/bin/virthost)"))
    }
    #expect(executables.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "check mode installed nothing")

    let install = try playbook(collection, ["--tags", "virthost_install"])
    #expect(install.status == 0, "\(install.output)")
    for executable in executables {
      #expect(FileManager.default.contentsEqual(atPath: executable, andPath: ProgramRun.virthost))
    }

    // Review: host.yaml's folder, host.yaml and the plan would change; the reboot is not allowed.
    let review = try playbook(collection, ["--check", "--diff"])
    #expect(review.status == 0, "\(review.output)")
    for host in hosts { #expect(review.changed(host) == 3, "\(host): \(review.output)") }
    #expect(review.output.contains("--- before: a/boot/grub/grub.conf"))
    #expect(review.output.contains("+++ after: b/boot/grub/grub.conf"))
    #expect(review.output.contains("+\tkernel /vmlinuz-2.6.32-71.29.1.el6.x86_64 ro root=/dev/mapper/vg_mnss-lv_root"))
    #expect(review.output.contains("TASK [virthost.kvm.host : Reboot the host under its policy] ***"))
    #expect(review.output.contains("skipping: [centos6-amd]"))
    #expect(try String(contentsOfFile: seedGrub, encoding: .utf8) == original, "check mode wrote nothing")

    let apply = try playbook(collection, [])
    #expect(apply.status == 0, "\(apply.output)")
    for host in hosts { #expect(apply.changed(host) == 3, "\(host): \(apply.output)") }
    #expect(try String(contentsOfFile: seedGrub, encoding: .utf8).contains("vga=795 amd_iommu=on\n"))
    let written = try String(contentsOfFile: fleet + "/centos6-amd/etc/virthost/host.yaml", encoding: .utf8)
    #expect(written.hasPrefix("# Written by the role virthost.kvm.host from virthost_spec.\niommu: true\nksm:\n"))

    // The second run changes nothing; what Ansible sent each host for the module is the
    // Python module with its arguments and AnsibleModule inside (AnsiballZ), not the binary.
    let again = try playbook(collection, [], keep: true)
    #expect(again.status == 0, "\(again.output)")
    for host in hosts { #expect(again.changed(host) == 0, "\(host): \(again.output)") }
    let sent = try moduleFiles()
    #expect(sent.map(\.name).sorted() == ["AnsiballZ_virthost.py", "AnsiballZ_virthost.py"])
    #expect(sent.allSatisfy { $0.size < 256 * 1024 }, "\(sent)")
  }

  /// With virthost_reboot, the role reboots only a host whose own boot is pending: these
  /// example hosts are roots other than `/` (images), whose pending kernel arguments are
  /// `reboot_pending_for_root`, never `reboot_required`, so the reboot is skipped and the
  /// control machine is not rebooted for an image (the gate opened here before). The
  /// boolean still works, as `force`, with a deprecation warning.
  @Test func aRebootIsReachedOnlyWhenAllowedAndNeeded() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    try makeFleet()
    #expect(try playbook(collection, ["--tags", "virthost_install"]).status == 0)
    let run = try playbook(collection, ["--check", "-e", "virthost_reboot=true", "--limit", "centos6-amd"])
    #expect(run.status == 0, "\(run.output)")
    #expect(
      run.output.contains(
        "[DEPRECATION WARNING] virthost_reboot: true is deprecated and will be removed in virthost.kvm 0.3.0; "
          + "write virthost_reboot: force (never, auto or force)"), "\(run.output)")
    let task = try #require(
      run.output.range(of: "TASK [virthost.kvm.host : Reboot the host under its policy] ***"), "\(run.output)")
    #expect(run.output[task.upperBound...].drop { $0 == "*" || $0 == "\n" }.hasPrefix("skipping: [centos6-amd]"))
    let unknown = try playbook(collection, ["--check", "-e", "virthost_reboot=sometimes", "--limit", "centos6-amd"])
    #expect(unknown.status != 0)
    #expect(unknown.output.contains("virthost_reboot is sometimes: write never, auto or force"), "\(unknown.output)")
  }

  /// `auto` reboots only a host where no guest runs: given the module's answer for a host
  /// whose boot is pending and where two QEMU processes run, the role refuses before the
  /// reboot task, saying why and what to do; `force` would go on.
  @Test func autoRefusesToRebootAHostWhoseGuestsRun() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let play = work.appendingPathComponent("guard.yml")
    try Data(
      """
      - name: The reboot part of the role, for a host whose boot is pending
        hosts: localhost
        gather_facts: false
        tasks:
          - name: Reboot under the policy
            ansible.builtin.include_role:
              name: virthost.kvm.host
              tasks_from: reboot
            vars:
              __host_reboot_policy: auto
              __host_result: {reboot_required: true, guests_running: 2, msg: "1 change"}

      """.utf8
    ).write(to: play)
    var environment = collection.environment
    environment["ANSIBLE_LOCAL_TEMP"] = work.appendingPathComponent("tmp").path
    let run = try ProgramRun.run(
      "/usr/bin/env", ["ansible-playbook", "-i", "localhost,", "-c", "local", play.path], environment: environment)
    let output = run.output + run.error
    #expect(run.status == 2, "\(output)")
    #expect(
      output.contains(
        "virthost_reboot: auto does not reboot localhost: 2 guest(s) run there. Give a drain hook (virthost_drain) "
          + "that moves them, or use virthost_reboot: force."), "\(output)")
    #expect(!output.contains("TASK [virthost.kvm.host : Reboot for the new kernel arguments]"), "\(output)")
  }
}
