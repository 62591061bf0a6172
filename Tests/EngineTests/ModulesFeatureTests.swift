import Editors
import Foundation
import HostConfig
import HostFacts
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Issue 30, item 5: `modules: {load: [...]}` built as a feature of its own: virthost's
/// modules-load.d file (read back by the shipped Modules lens), a module built into the
/// next kernel left out with a note, and each module's load as the effect `check` reads.
@Suite struct ModulesFeatureTests {
  static let spec = "modules:\n  load: [vhost_net, vhost-vsock]\n"

  private func text(_ plan: Plan) -> String? {
    plan.fileOperations.first { $0.path == ModulesLoadProvider.path }.flatMap { $0.after }.map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  @Test func theFileListsTheModulesAndTheLensReadsThemBack() throws {
    let host = try ExampleHost("gpu-passthrough")
    let plan = try host.plan(Self.spec)
    #expect(!plan.hasErrors)
    let file = try #require(text(plan))
    #expect(file == "# \(ModulesLoadProvider.header)\nvhost_net\nvhost-vsock\n")
    let editor = try ModulesLoadEditor(root: host.root.host)
    #expect(try editor.modules(in: file, file: ModulesLoadProvider.path) == ["vhost_net", "vhost-vsock"])
    // The running kernel's files are under this root, and it is not /: each load waits for the boot.
    #expect(
      plan.diagnostics.filter { $0.code == .moduleNotLoaded }.map { "\($0.address?.description ?? ""): \($0.summary)" }
        == [
          "kernel_module[\"vhost_net\"]: vhost_net is not loaded: it loads at the next boot",
          "kernel_module[\"vhost_vsock\"]: vhost-vsock is not loaded: it loads at the next boot",
        ])
    #expect(plan.changes.filter { $0.address.kind == .kernelModule }.allSatisfy { !$0.isChange })
  }

  @Test func anAppliedListConvergesAndALoadedModuleIsInSync() throws {
    let host = try ExampleHost("gpu-passthrough")
    _ = try host.engine.apply(try host.plan(Self.spec))
    try FileManager.default.createDirectory(
      atPath: host.root.path + "/sys/module/vhost_net", withIntermediateDirectories: true)
    let again = try host.plan(Self.spec)
    #expect(!again.hasChanges)
    let report = DriftReport(plan: again, facts: HostFacts.gather(root: host.root.host), live: false)
    let verdicts = report.items.filter { $0.origin == "modules.load" }.map { "\($0.address) \($0.verdict.rawValue)" }
    #expect(
      verdicts == [
        "file[\"/etc/modules-load.d/virthost.conf\"] in_sync", "kernel_module[\"vhost_net\"] in_sync",
        "kernel_module[\"vhost_vsock\"] pending_reboot",
      ])
  }

  @Test func aModuleBuiltIntoTheNextKernelIsLeftOutWithANote() throws {
    let host = try ExampleHost("gpu-passthrough")
    try host.root.write("/lib/modules/6.1.0-28-amd64/modules.builtin", "kernel/drivers/vhost/vhost_net.ko\n")
    let plan = try host.plan(Self.spec)
    #expect(text(plan) == "# \(ModulesLoadProvider.header)\nvhost-vsock\n")
    let note = try #require(plan.diagnostics.first { $0.code == .moduleBuiltIn })
    #expect(note.summary == "vhost_net is built into the next kernel (6.1.0-28-amd64): it is in effect without loading")
    #expect(note.location?.line == 2)
    #expect(!plan.changes.contains { $0.address == ResourceAddress(.kernelModule, "vhost_net") })
  }

  @Test func anEmptyListRemovesTheFile() throws {
    let host = try ExampleHost("gpu-passthrough")
    _ = try host.engine.apply(try host.plan(Self.spec))
    let plan = try host.plan("modules:\n  load: []\n")
    let removal = try #require(plan.fileOperations.first { $0.path == ModulesLoadProvider.path })
    #expect(removal.action == .delete)
  }

  @Test func badNamesAreRefusedAtTheirLine() throws {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("modules:\n  load: [vhost_net, \"vhost net\", vhost-net]\n  unload: [x]\n", file: "h.yaml")
    }
    #expect(
      error?.diagnostics.map { "\($0.location?.description ?? "-") \($0.keyPath ?? ""): \($0.summary)" } == [
        "h.yaml:2:21 modules.load.vhost net: \"vhost net\" is not a kernel module name such as nouveau or snd_hda_intel",
        "h.yaml:2:34 modules.load.vhost-net: is listed twice",
        "h.yaml:3:3 modules.unload: unknown key; did you mean \"load\"?",
      ])
  }
}
