import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

/// The path of the `virthost` executable of this build, when `swift build` made one.
private let executable = FixtureRoot.repository.appendingPathComponent(".build/debug/virthost").path

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
        #expect(report.checks.count == 10)
      }
    }
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
  func theExecutableOnTheLiveRootExitsZeroOrOneWithJSON() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["facts", "--root", "/", "--format", "json"]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let messages = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let report = try JSONDecoder().decode(FactsReport.self, from: data)
    #expect(process.terminationStatus == (report.hasFailure ? 1 : 0))
    #expect(messages.isEmpty)
  }
}
