import Foundation
import TestSupport
import Testing

@testable import Commands

/// Writes `json` to a temporary arguments file, as Ansible does.
func argumentsFile(_ json: String) throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-args-\(UUID().uuidString)").path
  try Data(json.utf8).write(to: URL(fileURLWithPath: path))
  return path
}

@Suite struct ModuleArgumentsTests {
  @Test func anAnsibleArgumentsFileIsRecognisedAndAnythingElseIsTheCommandLine() throws {
    let module = try argumentsFile(#"{"spec": {"iommu": true}, "_ansible_check_mode": true}"#)
    let plain = try argumentsFile(#"{"iommu": "on"}"#)
    #expect(AnsibleModule.isInvocation(["virthost", module]))
    #expect(!AnsibleModule.isInvocation(["virthost", plain]))
    #expect(!AnsibleModule.isInvocation(["virthost", "plan"]))
    #expect(!AnsibleModule.isInvocation(["virthost", module, "--diff"]))
  }

  /// The collection's module runs `virthost /dev/stdin` with the arguments on a pipe, which
  /// can be read only once (issue 37): the binary recognises the invocation and plans.
  @Test func argumentsOnAStandardInputPipeAreRecognisedAndRead() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let json = #"{"spec": {"iommu": true}, "root": "\#(root.path)", "_ansible_check_mode": true}"#
    let run = try ProgramRun.run(
      "/bin/sh", ["-c", #"printf '%s' "$1" | "$2" /dev/stdin"#, "sh", json, ProgramRun.virthost])
    #expect(run.status == 0, "\(run.transcript)")
    let result = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(result["changed"] as? Bool == true)
    #expect(result["reboot_pending_for_root"] as? Bool == true)
  }

  @Test func inlineSpecRootCheckAndDiffModesAreRead() throws {
    let path = try argumentsFile(
      #"{"spec": {"iommu": true}, "root": "/srv/h1", "_ansible_check_mode": true, "_ansible_diff": true}"#)
    let arguments = try ModuleArguments(path: path)
    #expect(arguments.spec == .inline(#"{"iommu":true}"#))
    #expect(arguments.root == "/srv/h1")
    #expect(arguments.checkMode)
    #expect(arguments.diff)
  }

  @Test func theModulesExecutableOptionIsAcceptedAndLeftToTheModule() throws {
    let path = try argumentsFile(
      #"{"spec_file": "/etc/virthost/host.yaml", "executable": "/opt/virthost/bin/virthost"}"#)
    let arguments = try ModuleArguments(path: path)
    #expect(arguments.spec == .file("/etc/virthost/host.yaml"))
    #expect(arguments.root == "/")
  }

  // Ansible's own wording where Ansible's argument_spec validation has one (a Python module
  // would say the same), virthost's where the check is virthost's (absolute paths).
  @Test(arguments: [
    (
      #"{"spec": {}, "speck": 1, "_ansible_diff": false, "_ansible_module_name": "virthost.kvm.virthost"}"#,
      "Unsupported parameters for (virthost.kvm.virthost) module: speck."
        + " Supported parameters include: executable, ksmtuned_binary, root, spec, spec_file."
    ),
    (
      #"{"spec": {}, "speck": 1, "root_dir": "/"}"#,
      "Unsupported parameters for (virthost) module: root_dir, speck."
        + " Supported parameters include: executable, ksmtuned_binary, root, spec, spec_file."
    ),
    (#"{"_ansible_diff": false}"#, "one of the following is required: spec, spec_file"),
    (#"{"spec": null, "spec_file": null}"#, "one of the following is required: spec, spec_file"),
    (#"{"spec": {}, "spec_file": "/h.yaml"}"#, "parameters are mutually exclusive: spec|spec_file"),
    (
      #"{"spec": "iommu: on"}"#,
      "argument 'spec' is of type str and we were unable to convert to dict:"
        + " the desired state is a mapping, for example {iommu: on}"
    ),
    (
      #"{"spec": [1]}"#,
      "argument 'spec' is of type list and we were unable to convert to dict:"
        + " the desired state is a mapping, for example {iommu: on}"
    ),
    (
      #"{"spec_file": "h.yaml"}"#,
      "spec_file must be an absolute path on the managed host, for example /etc/virthost/host.yaml"
    ),
    (#"{"spec_file": 7}"#, "argument 'spec_file' is of type int and we were unable to convert to path"),
    (#"{"spec": {}, "root": true}"#, "argument 'root' is of type bool and we were unable to convert to path"),
    (
      #"{"spec": {}, "root": "srv"}"#,
      "root must be an absolute path on the managed host, for example / or /srv/images/host1"
    ),
    (
      #"{"spec": {}, "ksmtuned_binary": "virthost-ksmtuned"}"#,
      "ksmtuned_binary must be an absolute path on the managed host, for example /usr/sbin/virthost-ksmtuned"
    ),
  ])
  func invalidArgumentsAreRefusedWithAClearMessage(json: String, message: String) throws {
    let path = try argumentsFile(json)
    let error = #expect(throws: ModuleFailure.self) { try ModuleArguments(path: path) }
    #expect(error?.message == message)
  }

  @Test func invalidArgumentsGiveOneFailedJSONResultNeverACrash() throws {
    let path = try argumentsFile(#"{"spec": {}, "bogus": true, "_ansible_check_mode": false}"#)
    let (json, status) = AnsibleModule.run(argumentsFile: path)
    #expect(status == 1)
    let result = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(result["failed"] as? Bool == true)
    #expect(result["changed"] as? Bool == false)
    #expect(
      result["msg"] as? String
        == "Unsupported parameters for (virthost) module: bogus."
        + " Supported parameters include: executable, ksmtuned_binary, root, spec, spec_file.")
  }
}
