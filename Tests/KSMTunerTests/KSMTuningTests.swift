import Foundation
import Testing

@testable import KSMTuner

/// One row of the decision table: the inputs of a cycle and what ksmtuned does.
private struct Case: CustomTestStringConvertible, Sendable {
  var name: String
  var total: Int
  var settings = KSMSettings()
  var committed: Int
  var free: Int
  var npages: Int
  var action: KSMAction
  var nextNpages: Int
  var messages: [String]
  var testDescription: String { name }
}

private func with(_ change: (inout KSMSettings) -> Void) -> KSMSettings {
  var settings = KSMSettings()
  change(&settings)
  return settings
}

private let table: [Case] = [
  Case(
    name: "seed 22:52:52: guests near the total, enough free memory: start and decay to the minimum",
    total: 15_874_952, committed: 14_446_180, free: 11_641_800, npages: 0,
    action: .start(pagesToScan: 64, sleepMillisecs: 10), nextNpages: 64,
    messages: [
      "committed 14446180 free 11641800", "17621170 > 15874952, start ksm", "11641800 > 3174990, decay",
      "KSMCTL start 64 10",
    ]),
  Case(
    name: "seed 22:54:52: guests and threshold fit, free above the threshold: stop, npages kept",
    total: 15_874_952, committed: 11_238_176, free: 12_920_740, npages: 64,
    action: .stop, nextNpages: 64,
    messages: ["committed 11238176 free 12920740", "14413166 < 15874952 and free > 3174990, stop ksm"]),
  Case(
    name: "free memory below the threshold boosts",
    total: 15_874_952, committed: 14_000_000, free: 3_000_000, npages: 64,
    action: .start(pagesToScan: 364, sleepMillisecs: 10), nextNpages: 364,
    messages: [
      "committed 14000000 free 3000000", "17174990 > 15874952, start ksm", "3000000 < 3174990, boost",
      "KSMCTL start 364 10",
    ]),
  Case(
    name: "free memory below the threshold starts KSM even when the guests fit",
    total: 15_874_952, committed: 1_000_000, free: 3_000_000, npages: 0,
    action: .start(pagesToScan: 300, sleepMillisecs: 10), nextNpages: 300,
    messages: [
      "committed 1000000 free 3000000", "4174990 > 15874952, start ksm", "3000000 < 3174990, boost",
      "KSMCTL start 300 10",
    ]),
  Case(
    name: "free equal to the threshold is neither a stop nor a boost: start and decay",
    total: 15_874_952, committed: 0, free: 3_174_990, npages: 500,
    action: .start(pagesToScan: 450, sleepMillisecs: 10), nextNpages: 450,
    messages: [
      "committed 0 free 3174990", "3174990 > 15874952, start ksm", "3174990 > 3174990, decay",
      "KSMCTL start 450 10",
    ]),
  Case(
    name: "guests plus threshold equal to the total start KSM",
    total: 15_874_952, committed: 12_699_962, free: 12_000_000, npages: 64,
    action: .start(pagesToScan: 64, sleepMillisecs: 10), nextNpages: 64,
    messages: [
      "committed 12699962 free 12000000", "15874952 > 15874952, start ksm", "12000000 > 3174990, decay",
      "KSMCTL start 64 10",
    ]),
  Case(
    name: "a boost past the maximum is clamped to KSM_NPAGES_MAX",
    total: 15_874_952, committed: 15_000_000, free: 100_000, npages: 1_100,
    action: .start(pagesToScan: 1250, sleepMillisecs: 10), nextNpages: 1250,
    messages: [
      "committed 15000000 free 100000", "18174990 > 15874952, start ksm", "100000 < 3174990, boost",
      "KSMCTL start 1250 10",
    ]),
  Case(
    name: "the settings' boost, decay and bounds are used",
    total: 1_048_576,
    settings: with {
      $0.npagesBoost = 1000
      $0.npagesMin = 10
      $0.npagesMax = 5000
      $0.thresCoef = 50
    },
    committed: 600_000, free: 100_000, npages: 4_500,
    action: .start(pagesToScan: 5000, sleepMillisecs: 160), nextNpages: 5000,
    messages: [
      "committed 600000 free 100000", "1124288 > 1048576, start ksm", "100000 < 524288, boost",
      "KSMCTL start 5000 160",
    ]),
  Case(
    name: "a minimum above the maximum wins when npages falls below it, as in ksmtuned",
    total: 15_874_952, settings: with { $0.npagesMin = 2000 }, committed: 15_000_000, free: 100_000, npages: 0,
    action: .start(pagesToScan: 2000, sleepMillisecs: 10), nextNpages: 2000,
    messages: [
      "committed 15000000 free 100000", "18174990 > 15874952, start ksm", "100000 < 3174990, boost",
      "KSMCTL start 2000 10",
    ]),
  Case(
    name: "a small host: the threshold is at least KSM_THRES_CONST, the sleep grows",
    total: 8_000, committed: 7_000, free: 900, npages: 64,
    action: .start(pagesToScan: 364, sleepMillisecs: 20971), nextNpages: 364,
    messages: [
      "committed 7000 free 900", "9048 > 8000, start ksm", "900 < 2048, boost", "KSMCTL start 364 20971",
    ]),
]

/// A log line split into its date and message at the first ": ".
private func message(of line: Substring) -> String {
  guard let range = line.range(of: ": ") else { return String(line) }
  return String(line[range.upperBound...])
}

@Suite struct KSMTuningTests {
  @Test(arguments: table)
  fileprivate func decidesAsKsmtuned(_ row: Case) {
    let tuning = KSMTuning(total: row.total, settings: row.settings)
    let decision = tuning.decide(committed: row.committed, free: row.free, npages: row.npages)
    #expect(decision.action == row.action)
    #expect(decision.npages == row.nextNpages)
    #expect(decision.messages == row.messages)
  }

  @Test func derivesSleepAndThresholdAsKsmtunedAtStart() {
    let seed = KSMTuning(total: 15_874_952, settings: KSMSettings())
    #expect(seed.startMessages == ["total 15874952", "sleep 10", "thres 3174990"])
    #expect(KSMTuning(total: 1_048_576, settings: KSMSettings()).sleep == 160)
    #expect(KSMTuning(total: 16_777_216, settings: KSMSettings()).sleep == 10)
    #expect(KSMTuning(total: 33_554_432, settings: KSMSettings()).sleep == 10)
    #expect(KSMTuning(total: 8_000, settings: KSMSettings()).thres == 2048)
    #expect(KSMTuning(total: 8_000, settings: with { $0.thresConst = 0 }).thres == 1600)
  }

  @Test func stopWritesRunZeroAndStartWritesPagesSleepThenRun() {
    #expect(KSMAction.stop.writes.map { "\($0.file)=\($0.value)" } == ["run=0"])
    #expect(
      KSMAction.start(pagesToScan: 64, sleepMillisecs: 10).writes.map { "\($0.file)=\($0.value)" } == [
        "pages_to_scan=64", "sleep_millisecs=10", "run=1",
      ])
  }

  /// Replays the seed walkthrough's ksmtuned log: every run (from a `total`
  /// line, npages back to 0) and every cycle, message for message.
  @Test func reproducesEveryLineOfTheSeedLog() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/seed-ksmtuned.log")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(message(of:))
    #expect(lines.count == 149)
    var produced: [String] = []
    var tuning: KSMTuning?
    var npages = 0
    var cycles = 0
    var index = 0
    while index < lines.count {
      let words = lines[index].split(separator: " ")
      if words.first == "total", let total = Int(words[1]) {
        let run = KSMTuning(total: total, settings: KSMSettings())
        produced += run.startMessages
        tuning = run
        npages = 0
        index += 3
      } else if words.first == "committed", let run = tuning, let committed = Int(words[1]),
        let free = Int(words[3])
      {
        let decision = run.decide(committed: committed, free: free, npages: npages)
        produced += decision.messages
        npages = decision.npages
        cycles += 1
        index += decision.messages.count
      } else {
        Issue.record("unexpected line \(index + 1): \(lines[index])")
        return
      }
    }
    #expect(cycles == 46)
    // The log ends in the middle of the last cycle: compare every line it has.
    #expect(Array(produced.prefix(lines.count)) == lines)
  }
}
