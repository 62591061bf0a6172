import Editors
import Foundation
import HostFacts
import Libvirt
import Testing

@testable import Commands
@testable import Engine

/// Issue 36's live part on libvirt's test driver (``LiveGuests``): the domains read through the
/// API, defined with `virDomainDefineXML` after checking the plan's digest, the running guests
/// pinned as steps of their own, what waits for a restart said, drift judged on the running guest.
@Suite struct GuestsLiveTests {
  @Test func thePlanDefinesThroughTheAPIAndPinsTheRunningGuestAsStepsOfTheirOwn() throws {
    let live = try LiveGuests()
    let plan = try live.plan()
    let web = try LiveGuests.change("web", in: plan)
    #expect(web.domainDefinitions.map(\.target) == [.libvirt(uri: live.uri)])
    #expect(
      web.runningDomainChanges.map(\.words) == [
        "pin vCPU 0 of running domain web to CPUs 1 (was 0-7)",
        "pin vCPU 1 of running domain web to CPUs 5 (was 0-7)",
        "pin the emulator of running domain web to CPUs 0,4 (was 0-7)",
      ])
    // The live pins are the planned definition's.
    let planned = try DomainXML(text: String(decoding: web.domainDefinitions[0].xml.after!, as: UTF8.self), file: "web")
      .definition()
    #expect(planned.vcpuPins == [0: "1", 1: "5"])
    #expect(planned.emulatorPin == "0,4")
    #expect(web.before?.hasSuffix("; running: vcpus 0-7 0-7; emulator 0-7") == true)
    // The saved plan: each live call its own operation, after the definition.
    let saved = try #require(PlanDocument(plan).changes.first { $0.address == web.address }).operations
    #expect(saved.map(\.kind) == [.defineDomain, .pinVcpuLive, .pinVcpuLive, .pinEmulatorLive])
    #expect(saved.map(\.vcpu) == [nil, 0, 1, nil])
    #expect(saved.map(\.value) == [nil, "1", "5", "0,4"])
    #expect(saved.map(\.before) == [nil, "0-7", "0-7", "0-7"])
    #expect(saved.allSatisfy { $0.uri == live.uri })
    #expect(
      plan.observations.map(\.source).filter { if case .domain = $0 { true } else { false } } == [
        .domain("db"), .domain("web"),
      ])
    // No domain-definition-pending warning: this apply defines.
    #expect(!plan.diagnostics.contains { $0.code == .domainDefinitionPending })
  }

  @Test func theSavedPlanWithLiveStepsRoundTripsAndAppliesOnlyWhileTheGuestIsAsPlanned() throws {
    let live = try LiveGuests()
    let document = PlanDocument(try live.plan())
    let json = document.json()
    #expect(json.contains(#""kind" : "pin_emulator_live""#) || json.contains(#""kind": "pin_emulator_live""#))
    #expect(try PlanDocument.decode(Data(json.utf8), file: "plan.json") == document)
    // The running guest moved after the plan was saved: its read differs, the saved plan is refused.
    try live.connection().domain(named: "web").pinVcpu(1, to: CPUSet([3], capacity: 8))
    #expect {
      _ = try live.engine.apply(saved: document)
    } throws: { error in
      if case EngineError.stale(let differences) = error {
        differences.contains { $0.contains("domain web") }
      } else {
        false
      }
    }
  }

  @Test func whatCannotChangeInARunningGuestIsPendingUntilItStartsAgain() throws {
    let plan = try LiveGuests().plan()
    let notes = plan.diagnostics.filter { $0.code == .guestRestartPending }
    #expect(notes.map(\.address) == [ResourceAddress(.domain, "db"), ResourceAddress(.domain, "web")])
    #expect(
      notes.last?.summary
        == "pending restart: guest 'web' runs without numatune/memory nodeset='0' mode='strict', "
        + "memoryBacking/hugepages/page size='1048576' unit='KiB', cpu mode='host-passthrough' until it starts again")
    #expect(notes.allSatisfy { $0.code.contribution == .pendingRestart })
  }

  @Test func applyDefinesTheDomainsAndPinsTheRunningGuestsWritingNoDomainFile() throws {
    let live = try LiveGuests()
    let before = try live.host.root.snapshot()
    let report = try live.engine.apply(try live.plan())
    #expect(report.applied.contains("define domain web through \(live.uri)"))
    #expect(report.applied.contains("pin vCPU 1 of running domain web to CPUs 5 (was 0-7)"))
    #expect(report.applied.contains("pin the emulator of running domain db to CPUs 0,4 (was 0-7)"))
    let connection = live.connection()
    let web = try connection.domain(named: "web")
    let defined = try DomainXML(text: try web.xml(inactive: true), file: "web").definition()
    #expect(defined.vcpuPins == [0: "1", 1: "5"])
    #expect(defined.emulatorPin == "0,4")
    #expect(defined.memoryNodeset == "0")
    #expect(defined.hugePageSizesKiB == [1_048_576])
    #expect(defined.cpuMode == "host-passthrough")
    #expect(try web.vcpuPins().map(\.description) == ["1", "5"])
    #expect(try web.emulatorPin().description == "0,4")
    #expect(try connection.domain(named: "db").vcpuPins().map(\.description) == ["2", "3", "6", "7"])
    let after = try live.host.root.snapshot()
    #expect(after["etc/libvirt/qemu/web.xml"] == before["etc/libvirt/qemu/web.xml"])
    // Applied: the domains are in their place; only the restart of each guest is left.
    let again = try live.plan()
    #expect(try LiveGuests.change("web", in: again).isChange == false)
    #expect(try LiveGuests.change("db", in: again).isChange == false)
    let report2 = DriftReport(plan: again, facts: HostFacts.gather(root: live.host.root.host), live: false)
    let items = report2.items.filter { $0.address == #"domain["web"]"# }
    #expect(items.map(\.verdict) == [.pendingRestart])
    #expect(items.map(\.active) == ["running: vcpus 1 5; emulator 0,4"])
  }

  @Test func aRunningGuestMovedOffItsPinsIsDriftedAndOnlyItsLivePinIsPlanned() throws {
    let live = try LiveGuests()
    _ = try live.engine.apply(try live.plan())
    let web = try live.connection().domain(named: "web")
    try web.pinVcpu(0, to: CPUSet(0..<8, capacity: 8))
    let plan = try live.plan()
    let change = try LiveGuests.change("web", in: plan)
    #expect(change.domainDefinitions.isEmpty)
    #expect(change.runningDomainChanges.map(\.words) == ["pin vCPU 0 of running domain web to CPUs 1 (was 0-7)"])
    let report = DriftReport(plan: plan, facts: HostFacts.gather(root: live.host.root.host), live: false)
    #expect(report.items.filter { $0.address == #"domain["web"]"# }.map(\.verdict) == [.drifted])
  }

  @Test func aDomainRedefinedSinceThePlanIsRefusedAndNothingIsDefined() throws {
    let live = try LiveGuests()
    let plan = try live.plan()
    let connection = live.connection()
    let web = try connection.domain(named: "web")
    let changed = try web.xml(inactive: true).replacingOccurrences(
      of: "</name>", with: "</name>\n  <description>edited by hand</description>")
    _ = try connection.define(xml: changed)
    let definition = try #require(try LiveGuests.change("web", in: plan).domainDefinitions.first)
    #expect {
      try DomainSteps.define(definition, uri: live.uri, live.engine.planner.libvirtConnector)
    } throws: { error in
      "\(error)".hasPrefix("domain web changed since the plan (its inactive XML at \(live.uri) is sha256:")
        && "\(error)".hasSuffix("nothing defined: plan again")
    }
    #expect(try web.xml(inactive: true).contains("edited by hand"))
    #expect(try DomainXML(text: try web.xml(inactive: true), file: "web").definition().vcpuPins == [:])
    // Through the engine: the plan shown no longer holds (its read of domain web changed).
    #expect {
      _ = try live.engine.apply(plan)
    } throws: { error in
      if case EngineError.stale(let differences) = error {
        differences.contains { $0.contains("domain web") }
      } else {
        false
      }
    }
  }

  @Test func theBalloonOfARunningGuestIsSetLiveAsItsOwnStep() throws {
    let live = try LiveGuests()
    let spec = try GuestsPlanTests.spec("guests:\n  web:\n    balloon: 2G\n")
    let plan = try live.plan(spec)
    let web = try LiveGuests.change("web", in: plan)
    #expect(
      web.runningDomainChanges.map(\.words) == [
        "set the balloon of running domain web to 2097152 KiB (was 4194304 KiB)"
      ])
    #expect(
      PlanDocument(plan).changes.first { $0.address == web.address }?.operations.map(\.kind) == [
        .defineDomain, .setMemoryLive,
      ])
    _ = try live.engine.apply(plan)
    let running = try live.connection().domain(named: "web").xml()
    #expect(try DomainXML(text: running, file: "web").definition().currentMemoryKiB == 2_097_152)
    #expect(try LiveGuests.change("web", in: try live.plan(spec)).isChange == false)
  }

  @Test func theTestDriverRefusesTheLiveFlagSoItsCallsPassCurrent() {
    #expect(LiveDomainCalls.impact("test:///default") == .current)
    #expect(LiveDomainCalls.impact("qemu:///system") == .live)
  }
}

/// Rollback of the live part: the old inactive XML defined again and the live pins put back,
/// refused for a domain defined again since the apply (the three-way rule), on the test driver.
@Suite struct GuestsRollbackTests {
  @Test func rollbackDefinesTheOldXMLAgainAndPutsTheRunningGuestsPinsBack() throws {
    let live = try LiveGuests()
    let web = try live.connection().domain(named: "web")
    let original = try web.xml(inactive: true)
    _ = try live.engine.apply(try live.plan())
    #expect(try web.xml(inactive: true) != original)
    let report = try live.engine.rollback()
    #expect(report.refused.isEmpty)
    #expect(report.restored.contains("define domain web as before the apply"))
    #expect(report.restored.contains("pin vCPU 1 of running domain web to CPUs 0-7 (was 5)"))
    #expect(report.restored.contains("pin the emulator of running domain db to CPUs 0-7 (was 0,4)"))
    #expect(try web.xml(inactive: true) == original)
    #expect(try web.vcpuPins().map(\.description) == ["0-7", "0-7"])
    #expect(try web.emulatorPin().description == "0-7")
    // Rolled back: the plan is the first one again.
    #expect(try LiveGuests.change("web", in: try live.plan()).runningDomainChanges.count == 3)
  }

  @Test func rollbackRefusesADomainDefinedAgainSinceTheApplyNamingItWithTheDiff() throws {
    let live = try LiveGuests()
    let connection = live.connection()
    let web = try connection.domain(named: "web")
    _ = try live.engine.apply(try live.plan())
    let applied = try web.xml(inactive: true)
    _ = try connection.define(
      xml: applied.replacingOccurrences(of: "</name>", with: "</name>\n  <description>edited by hand</description>"))
    let report = try live.engine.rollback()
    #expect(report.refused.map(\.path) == ["domain web"])
    #expect(report.refused.first?.detail.contains("+  <description>edited by hand</description>") == true)
    #expect(report.refused.first?.detail.contains("--- a/etc/libvirt/qemu/web.xml") == true)
    // web keeps its definition and its pins; db, unchanged since, is rolled back.
    #expect(try web.xml(inactive: true).contains("edited by hand"))
    #expect(try web.vcpuPins().map(\.description) == ["1", "5"])
    #expect(try connection.domain(named: "db").vcpuPins().map(\.description) == ["0-7", "0-7", "0-7", "0-7"])
    #expect(report.restored.contains("define domain db as before the apply"))
  }
}
