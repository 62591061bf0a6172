import ArgumentParser
import Foundation
import HostFacts
import RootFS
import TestSupport
import Testing

@testable import Commands

/// `--root`: made into one ``HostRoot`` per command, which alone decides whether the root is the live `/`.
@Suite struct RootOptionTests {
  @Test func everyCommandRefusesAMissingRootWithOneErrorAndCreatesNothing() throws {
    let folder = try FixtureRoot("examples/centos6-amd/root")
    let missing = folder.path + "/nowhere/root"
    let spec = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path
    for command in [
      ["plan", spec], ["apply", spec], ["rollback"], ["facts"], ["tree", "--lens", "Grub.lns", "/boot/grub/grub.conf"],
    ] {
      let run = try ProgramRun.virthost(command + ["--root", missing])
      #expect(run.status == 64, "\(command[0])\n\(run.transcript)")
      #expect(run.output == "", "\(command[0])")
      #expect(run.error.hasPrefix("error: --root \(missing) does not exist\n"), "\(command[0])\n\(run.transcript)")
      #expect(!FileManager.default.fileExists(atPath: folder.path + "/nowhere"), "\(command[0]) created nothing")
    }
    let file = try ProgramRun.virthost(["plan", spec, "--root", folder.path + "/etc/grub.conf"])
    #expect(file.status == 64)
    #expect(file.error.hasPrefix("error: --root \(folder.path)/etc/grub.conf is not a directory\n"))
  }

  @Test(arguments: ["/", "/./", "//", "/tmp/..", "/.//./"])
  func aRootSpelledAnyWayForTheLiveHostIsLiveForEveryDecision(_ spelling: String) throws {
    let root = try RootOptions.parse(["--root", spelling]).hostRoot()
    #expect(root == .live)
    #expect(root.isLive)
    #expect(EngineSetup.engine(root: root).runsCommands)
    #expect(EngineSetup.engine(root: root).planner.root.isLive)
  }

  @Test func theFactsOfTheLiveRootSpelledWithADotAreTheLiveOnes() throws {
    let facts = HostFacts.gather(root: try RootOptions.parse(["--root", "/./"]).hostRoot())
    #expect(facts.memory.pageSizeBytes.source == "sysconf(_SC_PAGESIZE)")
  }

  @Test func aCopyOfAHostIsNeverLive() throws {
    let copy = try FixtureRoot("examples/centos6-amd/root")
    let root = try RootOptions.parse(["--root", copy.path + "/./etc/.."]).hostRoot()
    #expect(root == copy.host)
    #expect(!root.isLive)
    #expect(!EngineSetup.engine(root: root).runsCommands)
    #expect(HostFacts.gather(root: root).memory.pageSizeBytes.source != "sysconf(_SC_PAGESIZE)")
  }
}
