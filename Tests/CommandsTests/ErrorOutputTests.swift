import Foundation
import TestSupport
import Testing

/// Failures are errors with a non-zero status, spelled one way
/// (`error: …`), in JSON when JSON was asked for; the starter leaves `iommu=pt` alone;
/// a CRLF file is blamed at its first line.
@Suite struct ErrorOutputTests {
  static func example(_ name: String) -> String {
    FixtureRoot.repository.appendingPathComponent("examples/\(name)/host.yaml").path
  }

  @Test func treeWithAnUnknownLensIsAnError() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let run = try ProgramRun.virthost(["tree", "--root", root.path, "--lens", "Nope.lns", "/boot/grub/grub.conf"])
    #expect(run.status == 1)
    #expect(run.output == "")
    #expect(run.error == "error: no lens Nope.lns (augeas: Can not find lens Nope.lns)\n")
  }

  @Test func treeOfAMissingFileIsAnError() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let run = try ProgramRun.virthost(["tree", "--root", root.path, "--lens", "Grub.lns", "/etc/missing"])
    #expect(run.status == 1)
    #expect(run.output == "")
    #expect(run.error == "error: /etc/missing: no such file under the root \(root.path)\n")
  }

  @Test func treeOfAFileTheLensCannotParseIsAnError() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try root.write("/etc/x.conf", "a = \"\n")
    let run = try ProgramRun.virthost(["tree", "--root", root.path, "--lens", "Shellvars.lns", "/etc/x.conf"])
    #expect(run.status == 1)
    #expect(run.error.hasPrefix("error: /etc/x.conf:1:"))
  }

  @Test func planAsJSONOnSpecErrorsPrintsTheDiagnosticsAsJSON() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let invalid = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/invalid.yaml").path
    let run = try ProgramRun.virthost(["plan", invalid, "--root", root.path, "--format", "json"])
    #expect(run.status == 1)
    let document = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
    #expect(document?["format_version"] as? Int == 3)
    let diagnostics = document?["diagnostics"] as? [[String: Any]]
    #expect(diagnostics?.count == 11)
    #expect(diagnostics?.first?["summary"] as? String == "must be one of on, off, unmanaged, not \"maybe\"")
    #expect(diagnostics?.first?["key_path"] as? String == "iommu")
    #expect(run.error.split(separator: "\n").count == 11)
  }

  /// In JSON: a missing root is a diagnostic of the JSON document, and the same error.
  @Test func planAsJSONOnAMissingRootPrintsItAsADiagnostic() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let run = try ProgramRun.virthost([
      "plan", Self.example("centos6-amd"), "--root", root.path + "/nowhere", "--format", "json",
    ])
    #expect(run.status == 64)
    let document = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
    let diagnostics = document?["diagnostics"] as? [[String: Any]]
    #expect(diagnostics?.first?["code"] as? String == "missing-root")
    #expect(diagnostics?.first?["summary"] as? String == "--root \(root.path)/nowhere does not exist")
    #expect(run.error == "error: --root \(root.path)/nowhere does not exist\n")
    #expect(!FileManager.default.fileExists(atPath: root.path + "/nowhere"))
  }

  /// Every command's failure, ours or the argument parser's, starts `error: `.
  @Test func everyCommandSpellsItsErrorsTheSameWay() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let folder = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/host.yaml"))
    let runs: [[String]] = [
      ["plan", "/nowhere.yaml", "--root", root.path],
      ["apply", "/nowhere.yaml", "--root", root.path],
      ["rollback", "--root", root.path],
      ["init"],
      ["facts", "--root", root.path + "/nowhere"],
      ["tree", "--root", root.path, "--lens", "Nope.lns", "/boot/grub/grub.conf"],
      ["plan", "--bogus"],
    ]
    for arguments in runs {
      let run = try ProgramRun.virthost(arguments, in: folder)
      #expect(run.status != 0, "\(arguments)")
      #expect(run.error.hasPrefix("error: "), "\(arguments)\n\(run.transcript)")
      #expect(!run.error.contains("Error:"), "\(arguments)\n\(run.transcript)")
    }
  }

  /// `init`'s starter leaves `iommu_passthrough` unmanaged: planned on a host whose kernel
  /// lines have `iommu=pt`, nothing removes it.
  @Test func theStarterLeavesAnExistingIommuPassthroughAlone() throws {
    let root = try FixtureRoot("examples/converged/root")
    let folder = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    #expect(try ProgramRun.virthost(["init"], in: folder).status == 0)
    let run = try ProgramRun.virthost(["plan", "--root", root.path, "--diff"], in: folder)
    #expect(run.status == 0, "\(run.transcript)")
    #expect(!run.output.contains("iommu=pt"), "\(run.output)")
    #expect(!run.output.contains("iommu_passthrough"), "\(run.output)")
  }

  /// A file whose every line ends in CRLF is blamed at line 1, not where its lens stops.
  @Test func aCRLFFileIsBlamedAtItsFirstLine() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let text = try root.text("/boot/grub/grub.conf")
    try root.write("/boot/grub/grub.conf", text.replacingOccurrences(of: "\n", with: "\r\n"))
    let run = try ProgramRun.virthost(["plan", Self.example("centos6-amd"), "--root", root.path])
    #expect(run.status == 1)
    let firstLine = text.prefix { $0 != "\n" }
    let line = run.output.split(separator: "\n").first { $0.contains("CRLF") }.map(String.init) ?? run.transcript
    #expect(line.hasPrefix("error: /boot/grub/grub.conf:1:\(firstLine.count + 1): cannot be parsed"), "\(line)")
  }
}
