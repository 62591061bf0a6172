import ArgumentParser
import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

/// `virthost facts` as a command: its registration, options and exit status.
@Suite struct FactsCommandTests {
  @Test func factsIsASubcommandOfVirthostWithRootAndFormat() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let parsed = try VirthostCommand.parseAsRoot(["facts", "--root", root.path, "--format", "json"])
    let facts = try #require(parsed as? Facts)
    #expect(facts.options.root == root.path)
    #expect(facts.format == .json)
    #expect(try Facts.parse([]).options.root == "/")
    #expect(try Facts.parse([]).format == .text)
  }

  @Test func exitStatusIsOneOnlyWhenAFailLevelCheckFails() throws {
    for (fixture, failed) in [
      ("examples/centos6-amd/root", false),
      ("Tests/HostFactsTests/Fixtures/centos6-amd-rebooted/root", false),
      ("Tests/HostFactsTests/Fixtures/intel-vmx-dmar/root", false),
      ("Tests/HostFactsTests/Fixtures/no-virtualization/root", true),
    ] {
      let root = try FixtureRoot(fixture)
      for format in ["text", "json"] {
        let output = try Facts.parse(["--root", root.path, "--format", format]).render(
          environment: [:], isTerminal: false)
        #expect(output.failed == failed, "\(fixture) \(format)")
      }
    }
  }

  @Test func aRootThatIsMissingOrNotADirectoryIsAUsageError() throws {
    let missing = try Facts.parse(["--root", "/nonexistent/virthost-root"])
    let error = #expect(throws: (any Error).self) { try missing.render(environment: [:], isTerminal: false) }
    #expect(error.map(Facts.message(for:)) == "--root /nonexistent/virthost-root does not exist")
    let file = try FixtureRoot("examples/centos6-amd/root")
    let notFolder = #expect(throws: (any Error).self) {
      try Facts.parse(["--root", file.path + "/proc/cpuinfo"]).render(environment: [:], isTerminal: false)
    }
    #expect(notFolder.map(Facts.message(for:)) == "--root \(file.path)/proc/cpuinfo is not a directory")
    #expect(throws: (any Error).self) { try Facts.parse(["--format", "yaml"]) }
  }

  @Test func readingFactsChangesNothingUnderTheRoot() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/intel-vmx-dmar/root")
    let before = try root.snapshot()
    _ = try Facts.parse(["--root", root.path]).render(environment: [:], isTerminal: false)
    _ = try Facts.parse(["--root", root.path, "--format", "json"]).render(environment: [:], isTerminal: false)
    #expect(try root.snapshot() == before)
  }
}
