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

  @Test func inlineSpecRootCheckAndDiffModesAreRead() throws {
    let path = try argumentsFile(
      #"{"spec": {"iommu": true}, "root": "/srv/h1", "_ansible_check_mode": true, "_ansible_diff": true}"#)
    let arguments = try ModuleArguments(path: path)
    #expect(arguments.spec == .inline(#"{"iommu":true}"#))
    #expect(arguments.root == "/srv/h1")
    #expect(arguments.checkMode)
    #expect(arguments.diff)
  }

  @Test(arguments: [
    (
      #"{"spec": {}, "speck": 1, "_ansible_diff": false}"#,
      "unsupported parameter: speck (supported: spec, spec_file, root, ksmtuned_binary)"
    ),
    (#"{"_ansible_diff": false}"#, "one of spec (the desired state as a mapping) or spec_file (a path) is required"),
    (#"{"spec": {}, "spec_file": "/h.yaml"}"#, "spec and spec_file are mutually exclusive: give one"),
    (#"{"spec": "iommu: on"}"#, "spec must be a mapping of the desired state, for example {iommu: on}"),
    (#"{"spec_file": "h.yaml"}"#, "spec_file must be an absolute path on the managed host"),
    (#"{"spec": {}, "root": "srv"}"#, "root must be an absolute path, for example / or /srv/images/host1"),
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
      result["msg"] as? String == "unsupported parameter: bogus (supported: spec, spec_file, root, ksmtuned_binary)")
  }
}
