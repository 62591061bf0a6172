import Foundation
import TestSupport
import Testing

@testable import Commands

/// The built collection: its documentation as ansible-doc shows it, its size, and its module
/// (the wrapper) run as Ansible runs it.
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
    #expect(text.output.contains("  virthost.kvm.virthost:\n    spec:\n      iommu: on\n"))
    #expect(text.output.contains("reboot_required"))

    // The documented options are the ones the module accepts: ansible-doc is the oracle.
    let json = try ansibleDoc(collection, ["--json", "virthost.kvm.virthost"])
    #expect(json.status == 0, "\(json.transcript)")
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    let doc = (object?["virthost.kvm.virthost"] as? [String: Any])?["doc"] as? [String: Any]
    let options = try #require(doc?["options"] as? [String: Any])
    #expect(options.keys.sorted() == ModuleArguments.options)
    let returned = (object?["virthost.kvm.virthost"] as? [String: Any])?["return"] as? [String: Any]
    #expect(returned?.keys.sorted() == ["diff", "facts", "msg", "pending_regeneration", "plan", "reboot_required"])

    let role = try ansibleDoc(collection, ["-t", "role", "virthost.kvm.host"])
    #expect(role.status == 0, "\(role.transcript)")
    for variable in ["virthost_spec", "virthost_deb", "virthost_binary", "virthost_reboot"] {
      #expect(role.output.contains(variable), "\(variable) in \(role.output)")
    }
  }

  /// What Ansible copies to each host per run is the wrapper, a few kB, not the binary.
  @Test func theCollectionShipsAWrapperOfAFewKilobytesNotTheBinary() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let tarball = try FileManager.default.attributesOfItem(atPath: collection.tarball)[.size] as? Int ?? 0
    #expect(tarball < 16_384, "\(tarball) bytes")
    let modules = try FileManager.default.contentsOfDirectory(atPath: collection.root + "/plugins/modules").sorted()
    #expect(modules == ["virthost.sh", "virthost.yml"])
    let module = try FileManager.default.attributesOfItem(atPath: collection.root + "/plugins/modules/virthost.sh")
    #expect((module[.size] as? Int ?? .max) < 4096)
  }

  /// Runs the installed wrapper as Ansible runs a WANT_JSON module: `/bin/sh MODULE ARGS`.
  private func wrapper(_ collection: InstalledCollection, _ json: String) throws -> (ProgramRun, [String: Any]) {
    let run = try ProgramRun.run(
      "/bin/sh", [collection.root + "/plugins/modules/virthost.sh", try argumentsFile(json)])
    let result = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
    return (run, result ?? [:])
  }

  @Test func theWrapperRunsTheInstalledVirthostOrFailsWithJSONSayingWhatIsMissing() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let missing = work.appendingPathComponent("bin/virthost").path
    let (absent, result) = try wrapper(collection, #"{"spec": {"iommu": true}, "executable": "\#(missing)"}"#)
    #expect(absent.status == 1)
    #expect(result["failed"] as? Bool == true)
    #expect(result["changed"] as? Bool == false)
    #expect(result["rc"] as? Int == 127)
    #expect(
      result["msg"] as? String
        == "virthost is not installed on this host: no \(missing) (option executable). Install the virthost package"
        + " (apt install ./virthost_VERSION_ARCH.deb), or let the role virthost.kvm.host install it"
        + " (virthost_deb or virthost_binary)")

    let (relative, relativeResult) = try wrapper(collection, #"{"spec": {}, "executable": "bin/virthost"}"#)
    #expect(relative.status == 1)
    #expect(
      relativeResult["msg"] as? String
        == "executable must be an absolute path on the managed host, for example /usr/bin/virthost (got bin/virthost)")

    // With the built virthost, the wrapper's result is the binary's: here its validation message.
    let (invalid, invalidResult) = try wrapper(
      collection,
      #"{"spec": {}, "spec_file": "/h.yaml", "executable": "\#(ProgramRun.virthost)", "_ansible_module_name": "x"}"#)
    #expect(invalid.status == 1)
    #expect(invalidResult["msg"] as? String == "parameters are mutually exclusive: spec|spec_file")

    // And on the seed host in check mode, its plan.
    let root = try FixtureRoot("examples/centos6-amd/root")
    let (plan, planResult) = try wrapper(
      collection,
      #"{"spec": {"iommu": true}, "root": "\#(root.path)", "executable": "\#(ProgramRun.virthost)", "#
        + #""_ansible_check_mode": true}"#)
    #expect(plan.status == 0, "\(plan.transcript)")
    #expect(planResult["changed"] as? Bool == true)
    #expect(planResult["reboot_required"] as? Bool == true)
  }
}
