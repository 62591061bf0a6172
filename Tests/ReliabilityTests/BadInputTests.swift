import Foundation
import TestSupport
import Testing

/// Every case of the bad-input corpus (`Fixtures/bad-input/`) run through the built
/// `virthost` on a copy of the seed example: the exact exit status, the expected
/// message with its file and position, and a root byte-identical before and after.
@Suite(.serialized) final class BadInputTests {
  @Test func everyCaseFailsClearlyAndLeavesTheRootByteIdentical() throws {
    let cases = try BadInputCase.all()
    #expect(cases.count >= 40)
    for badInput in cases {
      try check(badInput)
    }
    print("bad-input corpus: \(cases.count) cases, every root byte-identical")
  }

  private func check(_ badInput: BadInputCase) throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let work = URL(fileURLWithPath: root.path).deletingLastPathComponent().path
    let spec = work + "/host.yaml"
    try FileManager.default.copyItem(
      at: badInput.file("host.yaml")
        ?? FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml"),
      to: URL(fileURLWithPath: spec))
    if let setup = badInput.file("setup.sh") {
      let setupRun = try ProgramRun.run(
        "/bin/bash", [setup.path], in: work, environment: ["ROOT": root.path, "SPEC": spec, "PATH": "/usr/bin:/bin"])
      #expect(setupRun.status == 0, "\(badInput.name): setup.sh failed\n\(setupRun.transcript)")
    }
    let before = try root.snapshot()
    let run = try ProgramRun.virthost([badInput.command, "host.yaml", "--root", root.path], in: work)
    let printed = (run.output + run.error).replacingOccurrences(of: root.path, with: "ROOT")
    #expect(run.status == badInput.status, "\(badInput.name)\n\(run.transcript)")
    #expect(!(badInput.expected.isEmpty), "\(badInput.name): case.txt has no expect line")
    for line in badInput.expected {
      #expect(printed.contains(line), "\(badInput.name): expected \"\(line)\" in\n\(printed)")
    }
    #expect(try root.snapshot() == before, "\(badInput.name): the root changed")
  }
}
