import Foundation
import TestSupport
import Testing

@testable import Commands

/// The built collection: its documentation as ansible-doc shows it, its size, and its module
/// (Python, with AnsibleModule) run as Ansible runs it.
@Suite(.serialized) struct CollectionTests {
  let work = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-collection-\(UUID().uuidString)")

  private func ansibleDoc(_ collection: InstalledCollection, _ arguments: [String]) throws -> ProgramRun {
    try ProgramRun.run("/usr/bin/env", ["ansible-doc"] + arguments, environment: collection.environment)
  }

  @Test func ansibleDocShowsTheModulesOptionsExamplesAndReturnValues() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let text = try ansibleDoc(collection, ["virthost.kvm.virthost"])
    #expect(text.status == 0, "\(text.transcript)")
    #expect(text.output.hasPrefix("> MODULE virthost.kvm.virthost ("))
    for heading in ["OPTIONS", "ATTRIBUTES:", "EXAMPLES:", "RETURN VALUES:"] {
      #expect(text.output.contains(heading), "\(heading) in \(text.output)")
    }
    #expect(text.output.contains("  virthost.kvm.virthost:\n    spec:\n      iommu: true\n"))
    #expect(text.output.contains("reboot_required"))

    // The documented options are the ones the module accepts: ansible-doc is the oracle.
    let json = try ansibleDoc(collection, ["--json", "virthost.kvm.virthost"])
    #expect(json.status == 0, "\(json.transcript)")
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    let doc = (object?["virthost.kvm.virthost"] as? [String: Any])?["doc"] as? [String: Any]
    let options = try #require(doc?["options"] as? [String: Any])
    #expect(options.keys.sorted() == ModuleArguments.options)
    let returned = (object?["virthost.kvm.virthost"] as? [String: Any])?["return"] as? [String: Any]
    #expect(
      returned?.keys.sorted() == [
        "check", "diff", "facts", "guests_running", "msg", "pending_regeneration", "plan", "reboot_pending_for_root",
        "reboot_required",
      ])

    let role = try ansibleDoc(collection, ["-t", "role", "virthost.kvm.host"])
    #expect(role.status == 0, "\(role.transcript)")
    for variable in ["virthost_spec", "virthost_deb", "virthost_binary", "virthost_reboot"] {
      #expect(role.output.contains(variable), "\(variable) in \(role.output)")
    }
  }

  /// What Ansible copies to each host per run is a small Python module, not the binary.
  @Test func theCollectionShipsASmallPythonModuleNotTheBinary() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let tarball = try FileManager.default.attributesOfItem(atPath: collection.tarball)[.size] as? Int ?? 0
    #expect(tarball < 32_768, "\(tarball) bytes")
    let modules = try FileManager.default.contentsOfDirectory(atPath: collection.root + "/plugins/modules").sorted()
    #expect(modules == ["virthost.py"])
    let module = try FileManager.default.attributesOfItem(atPath: collection.root + "/plugins/modules/virthost.py")
    #expect((module[.size] as? Int ?? .max) < 16_384)
  }

  /// Runs the installed module as Ansible runs a Python module with an arguments file
  /// (`python MODULE ARGS`, ARGS holding `{"ANSIBLE_MODULE_ARGS": …}`), with the real
  /// ansible-core's AnsibleModule.
  private func module(_ collection: InstalledCollection, _ json: String) throws -> (ProgramRun, [String: Any]) {
    let run = try ProgramRun.run(
      "/usr/bin/env",
      [
        "python3", collection.root + "/plugins/modules/virthost.py",
        try argumentsFile(#"{"ANSIBLE_MODULE_ARGS": "# + json + "}"),
      ],
      environment: collection.environment)
    let result = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
    return (run, result ?? [:])
  }

  @Test func theModuleRunsTheInstalledVirthostOrFailsWithJSONSayingWhatIsMissing() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let missing = work.appendingPathComponent("bin/virthost").path
    let (absent, result) = try module(collection, #"{"spec": {"iommu": true}, "executable": "\#(missing)"}"#)
    #expect(absent.status == 1)
    #expect(result["failed"] as? Bool == true)
    #expect(result["changed"] as? Bool == false)
    #expect(result["rc"] as? Int == 127)
    #expect(
      result["msg"] as? String
        == "virthost is not installed on this host: no \(missing) (option executable). Install the virthost package"
        + " (apt install ./virthost_VERSION_ARCH.deb), or let the role virthost.kvm.host install it"
        + " (virthost_deb or virthost_binary)")

    let (relative, relativeResult) = try module(collection, #"{"spec": {}, "executable": "bin/virthost"}"#)
    #expect(relative.status == 1)
    #expect(
      relativeResult["msg"] as? String
        == "executable must be an absolute path on the managed host, for example /usr/bin/virthost (got bin/virthost)")

    // Ansible's own validation, before virthost runs.
    let (both, bothResult) = try module(
      collection, #"{"spec": {}, "spec_file": "/h.yaml", "executable": "\#(ProgramRun.virthost)"}"#)
    #expect(both.status == 1)
    #expect(bothResult["msg"] as? String == "parameters are mutually exclusive: spec|spec_file")
    let (unknown, unknownResult) = try module(collection, #"{"spec": {}, "speck": 1}"#)
    #expect(unknown.status == 1)
    #expect((unknownResult["msg"] as? String)?.hasPrefix("Unsupported parameters for (") == true, "\(unknownResult)")

    // With the built virthost, the module's result is the binary's: on the seed host in
    // check mode, its plan, the host's files unchanged.
    let root = try FixtureRoot("examples/centos6-amd/root")
    let before = try root.snapshot()
    let (plan, planResult) = try module(
      collection,
      #"{"spec": {"iommu": true}, "root": "\#(root.path)", "executable": "\#(ProgramRun.virthost)", "#
        + #""_ansible_check_mode": true}"#)
    #expect(plan.status == 0, "\(plan.transcript)")
    #expect(planResult["changed"] as? Bool == true)
    #expect(planResult["reboot_required"] as? Bool == false)
    #expect(planResult["reboot_pending_for_root"] as? Bool == true)
    #expect((planResult["plan"] as? [String: Any])?["summary"] as? String == planResult["msg"] as? String)
    // Each change names the keys it comes from, as a list (issue 30).
    let changes = (planResult["plan"] as? [String: Any])?["changes"] as? [[String: Any]]
    #expect(changes?.map { $0["origins"] as? [String] ?? [] } == [["iommu"]])
    #expect(try root.snapshot() == before)
  }

  /// Issue 37, defect 1: the shell wrapper took `"executable"` from anywhere in the arguments,
  /// so a key inside `spec` chose the program run as root. Through ansible-playbook, a spec with
  /// a nested `executable` naming a program that leaves a mark: virthost runs (and refuses the
  /// unknown key of the desired state), the nested program never does.
  @Test func aNestedExecutableKeyInSpecIsDataNotTheProgramRun() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let marker = work.appendingPathComponent("nested-program-ran").path
    let nested = work.appendingPathComponent("nested-program").path
    try Data("#!/bin/sh\ntouch '\(marker)'\necho '{\"changed\": true, \"msg\": \"the nested program ran\"}'\n".utf8)
      .write(to: URL(fileURLWithPath: nested))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: nested)
    let root = try FixtureRoot("examples/centos6-amd/root")
    let resultFile = work.appendingPathComponent("result.json").path
    let playbook = work.appendingPathComponent("nested.yml").path
    try Data(
      """
      - name: A nested executable key
        hosts: localhost
        gather_facts: false
        tasks:
          - name: Spec with an executable key inside it
            virthost.kvm.virthost:
              executable: \(ProgramRun.virthost)
              spec:
                executable: \(nested)
                iommu: true
              root: \(root.path)
            check_mode: true
            register: nested_result
            ignore_errors: true
          - name: Result
            ansible.builtin.copy:
              content: "{{ nested_result | to_json }}"
              dest: \(resultFile)
              mode: "0644"

      """.utf8
    ).write(to: URL(fileURLWithPath: playbook))
    var environment = collection.environment
    environment["ANSIBLE_LOCAL_TEMP"] = work.appendingPathComponent("tmp").path
    let run = try ProgramRun.run(
      "/usr/bin/env",
      [
        "ansible-playbook", "-i", "localhost,", "-c", "local", "-e",
        "ansible_python_interpreter={{ ansible_playbook_python }}",
        playbook,
      ], environment: environment)
    #expect(run.status == 0, "\(run.transcript)")
    #expect(!FileManager.default.fileExists(atPath: marker), "the nested executable was run: \(run.transcript)")
    let data = try #require(FileManager.default.contents(atPath: resultFile), "\(run.transcript)")
    let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(result["failed"] as? Bool == true)
    let message = try #require(result["msg"] as? String)
    #expect(message.hasPrefix("the desired state is invalid: "), "\(message)")
    #expect(message.contains("executable"), "\(message)")
  }
}
