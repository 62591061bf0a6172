import Foundation
import TestSupport
import Testing

@testable import Engine

/// A rollback restores the vfio files an apply wrote, but the initramfs images built from
/// them still carry `options vfio-pci ids=…`: without a rebuild, the devices would go on
/// binding to vfio-pci after "rolled back". The rollback rebuilds them on the live host and
/// says it is pending elsewhere.
@Suite struct RollbackInitramfsTests {
  func engine(_ host: ExampleHost, runsCommands: Bool) -> Engine {
    Engine(
      planner: Planner(root: host.root.host, bundledTuner: ExampleHost.tuner), lockWait: .milliseconds(200),
      runsCommands: runsCommands)
  }

  @Test func anOfflineRollbackOfThePassthroughFilesLeavesTheInitramfsRebuildPending() throws {
    let host = try ExampleHost("gpu-passthrough")
    _ = try host.engine.apply(try host.plan())
    let rollback = try engine(host, runsCommands: false).rollback()
    #expect(rollback.pendingCommands.map(\.shown) == ["update-initramfs -u -k all"])
    #expect(!rollback.restored.contains { $0.hasPrefix("run ") })
  }

  @Test func aRollbackOfNoInitramfsInputRunsNothing() throws {
    let host = try ExampleHost("centos6-amd")
    _ = try host.engine.apply(try host.plan())
    let rollback = try engine(host, runsCommands: false).rollback()
    #expect(rollback.pendingCommands.isEmpty)
  }

  @Test func aLiveRollbackRunsTheInitramfsToolAfterTheFilesAreRestored() throws {
    let host = try ExampleHost("gpu-passthrough")
    _ = try host.engine.apply(try host.plan())
    // A stand-in for the tool: it records its arguments and whether the vfio file was back to absent.
    let record = host.root.path + "/../initramfs-runs.txt"
    try host.root.writeProgram(
      "/usr/sbin/update-initramfs",
      """
      #!/bin/sh
      if [ -e '\(host.root.path)/etc/modprobe.d/virthost-vfio.conf' ]; then state=present; else state=absent; fi
      echo "$* (vfio file $state)" >>'\(record)'

      """)
    let rollback = try engine(host, runsCommands: true).rollback()
    #expect(rollback.pendingCommands.isEmpty)
    #expect(rollback.restored.last == "run update-initramfs -u -k all")
    #expect(try String(contentsOfFile: record, encoding: .utf8) == "-u -k all (vfio file absent)\n")
  }

  @Test func virthostRollbackExitsPendingAndSaysWhatToRun() throws {
    let host = try ExampleHost("gpu-passthrough")
    _ = try host.engine.apply(try host.plan())
    let run = try ProgramRun.virthost(["rollback", "--root", host.root.path])
    #expect(run.status == 3, "\(run.transcript)")
    #expect(run.output.hasSuffix("pending: run update-initramfs -u -k all on the host itself\n"))
  }
}
