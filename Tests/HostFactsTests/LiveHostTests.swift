import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

/// One run on the machine the tests run on, whatever it is: it must finish without
/// error. Read-only: nothing under `/` is opened for writing.
@Suite struct LiveHostTests {
  @Test func gatheringTheLiveRootFinishesWithEveryFactKnownOrExplained() throws {
    let facts = HostFacts.gather(root: .live)
    let leaves = try jsonLeaves(FactsReport(root: "/", facts: facts).json())
    let values = leaves.keys.filter { $0.hasPrefix("facts.") && $0.hasSuffix(".value") }
    for key in values {
      let reason = leaves[String(key.dropLast(6)) + ".unknown"]
      #expect((leaves[key] == .null) == (reason != .null), "\(key)")
    }
    #expect(facts.kernel.release.value?.isEmpty == false)
    #expect(facts.memory.pageSizeBytes.source == "sysconf(_SC_PAGESIZE)")
    #expect(facts.memory.pageSizeBytes.value.map { $0 >= 4096 } == true)
    #expect(facts.cpu.count.value.map { $0 >= 1 } ?? true)
  }

  @Test func theCommandOnTheLiveRootRendersBothFormats() throws {
    for format in ["text", "json"] {
      let output = try Facts.parse(["--root", "/", "--format", format]).render(environment: [:], isTerminal: false)
      #expect(!output.text.isEmpty)
      #expect(output.failed == HostFacts.gather(root: .live).checks.contains { $0.level == .fail })
      if format == "json" {
        let report = try JSONDecoder().decode(FactsReport.self, from: Data(output.text.utf8))
        #expect(report.schemaVersion == 1)
        #expect(report.root == "/")
        #expect(report.checks.count == 21)
      }
    }
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ProgramRun.virthost)))
  func theExecutableOnTheLiveRootExitsZeroOrOneWithJSON() throws {
    let run = try ProgramRun.virthost(["facts", "--root", "/", "--format", "json"])
    let report = try JSONDecoder().decode(FactsReport.self, from: Data(run.output.utf8))
    #expect(run.status == (report.hasFailure ? 1 : 0))
    #expect(run.error.isEmpty)
  }
}
