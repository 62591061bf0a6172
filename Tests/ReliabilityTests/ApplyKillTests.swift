import Engine
import Foundation
import TestSupport
import Testing

/// `virthost apply` of the seed example killed with SIGKILL at random points, two
/// roots at a time: after each kill every planned file is byte for byte its old or
/// its new version, nothing else changed, and a new apply converges.
///
/// `VIRTHOST_KILL_TRIALS` sets the number of trials (default 200), `VIRTHOST_SEED` replays a run.
@Suite(.serialized) final class ApplyKillTests {
  @Test func sigkillAtRandomPointsNeverLeavesAMixAndANewApplyConverges() throws {
    let trials = ProcessInfo.processInfo.environment["VIRTHOST_KILL_TRIALS"].flatMap { Int($0) } ?? 200
    var random = SeededGenerator(label: "ApplyKillTests")
    let base = try FixtureRoot("examples/centos6-amd/root")
    let work = URL(fileURLWithPath: base.path).deletingLastPathComponent().path
    let spec = TreeCopy.seedSpec
    let planned = try PlannedFiles(spec: spec, root: base.path)
    #expect(planned.files.map(\.path) == ["/boot/grub/grub.conf", "/etc/ksmtuned.conf"])
    let pristine = try base.snapshot()
    let width = 2

    // Uninterrupted applies, two at once as the trials run, give the spans the kills are spread
    // over: the whole run, and the write phase, from the backup folder's appearance to the last link's.
    var whole = Duration.zero
    var writing = Duration.zero
    for round in 0..<2 {
      let roots = try (0..<width).map { try TreeCopy.copy(base.path, to: "\(work)/full\(round)-\($0)") }
      let runs = try roots.map { try startApply($0, spec, work) }
      let timings = watch(runs, roots: roots, planned: planned, kills: nil)
      for (run, timing) in zip(runs, timings) {
        #expect(run.finish().status == 0)
        whole = max(whole, timing.end)
        writing = max(writing, (timing.linked ?? timing.end) - (timing.backup ?? .zero))
      }
    }
    print("ApplyKillTests: an apply takes \(whole), its writes \(writing), \(width) at once; \(trials) trials")

    var outcomes = ["nothing new yet": 0, "some new, some old": 0, "everything new": 0, "finished before the kill": 0]
    var problems: [String] = []
    var trial = 0
    while trial < trials {
      let count = min(width, trials - trial)
      let roots = try (0..<count).map { try TreeCopy.copy(base.path, to: "\(work)/trial\(trial + $0)") }
      // Even trials are killed anywhere in the run; odd ones in the write phase.
      let kills = (0..<count).map { index in
        (trial + index).isMultiple(of: 2)
          ? Kill(afterBackup: false, delay: .microseconds(Int64.random(in: 0...whole.microseconds, using: &random)))
          : Kill(afterBackup: true, delay: .microseconds(Int64.random(in: 0...writing.microseconds, using: &random)))
      }
      let runs = try roots.map { try startApply($0, spec, work) }
      _ = watch(runs, roots: roots, planned: planned, kills: kills)
      let delays = kills.map { "\($0.afterBackup ? "the backup + " : "")\($0.delay)" }
      for (index, run) in runs.enumerated() {
        let result = run.finish()
        let name = "trial \(trial + index) (kill after \(delays[index]))"
        if result.status == 0 {
          outcomes["finished before the kill", default: 0] += 1
        } else if result.status != 128 + SIGKILL {
          problems.append("\(name): exit status \(result.status)\n\(result.transcript)")
        }
        let (found, newFiles) = planned.check(
          root: roots[index], pristine: pristine, snapshot: try snapshot(roots[index]))
        problems += found.map { "\(name): \($0)" }
        if result.status != 0 {
          let key =
            newFiles == 0 ? "nothing new yet" : newFiles == planned.count ? "everything new" : "some new, some old"
          outcomes[key, default: 0] += 1
        }
      }
      let converging = try roots.map { try startApply($0, spec, work) }
      for (index, run) in converging.enumerated() {
        let result = run.finish()
        let name = "trial \(trial + index)"
        if result.status != 0
          || !(result.output.contains("Planned again: no changes") || result.output.contains("No changes."))
        {
          problems.append("\(name): the new apply did not converge\n\(result.transcript)")
        }
        for file in planned.files
        where Digest.of(FileManager.default.contents(atPath: roots[index] + file.path)) != file.after {
          problems.append("\(name): \(file.path) is not the new version after the new apply")
        }
        let litter = try snapshot(roots[index]).keys.filter(FixtureRoot.isTemporary)
        if !litter.isEmpty { problems.append("\(name): temporary files left after the new apply: \(litter)") }
        try FileManager.default.removeItem(atPath: URL(fileURLWithPath: roots[index]).deletingLastPathComponent().path)
      }
      trial += count
    }
    print("ApplyKillTests: \(trials) trials: \(outcomes.sorted { $0.key < $1.key }); problems: \(problems.count)")
    #expect(problems == [], "seed \(random.seed)")
    #expect(outcomes["some new, some old", default: 0] + outcomes["everything new", default: 0] > 0)
  }

  /// When to kill one apply: `delay` after its start, or after its backup folder appears.
  private struct Kill {
    var afterBackup: Bool
    var delay: Duration
  }

  /// When, from its start, an apply made its backup folder, had every planned link, and ended.
  private struct Timing {
    var backup: Duration?
    var linked: Duration?
    var end: Duration = .zero
  }

  /// Polls `runs` every 100 µs until each ends or is killed as `kills` says.
  private func watch(_ runs: [RunningProgram], roots: [String], planned: PlannedFiles, kills: [Kill]?) -> [Timing] {
    let clock = ContinuousClock()
    let start = clock.now
    var timings = Array(repeating: Timing(), count: runs.count)
    var done = Array(repeating: false, count: runs.count)
    let links = planned.links.filter(\.create).map(\.path)
    while done.contains(false) {
      for index in runs.indices where !done[index] {
        let now = clock.now - start
        if !runs[index].process.isRunning {
          timings[index].end = now
          done[index] = true
          continue
        }
        if timings[index].backup == nil,
          (try? FileManager.default.contentsOfDirectory(atPath: roots[index] + "/var/lib/virthost/backups"))?
            .isEmpty == false
        {
          timings[index].backup = now
        }
        if kills == nil, timings[index].linked == nil,
          links.allSatisfy({ (try? FileManager.default.destinationOfSymbolicLink(atPath: roots[index] + $0)) != nil })
        {
          timings[index].linked = now
        }
        if let kill = kills?[index] {
          let origin = kill.afterBackup ? timings[index].backup : .zero
          if let origin, now >= origin + kill.delay {
            Glibc.kill(runs[index].process.processIdentifier, SIGKILL)
            timings[index].end = now
            done[index] = true
          }
        }
      }
      usleep(100)
    }
    return timings
  }

  private func snapshot(_ root: String) throws -> [String: String] { try FixtureRoot.snapshot(of: root) }

  private func startApply(_ root: String, _ spec: String, _ work: String) throws -> RunningProgram {
    try RunningProgram(ProgramRun.virthost, ["apply", spec, "--root", root])
  }
}

extension Duration {
  /// The duration in whole microseconds.
  var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
