import Foundation
import Testing

@testable import Engine

@Suite struct ModelTests {
  @Test func anAddressHasOneCanonicalFormThatParsesBack() throws {
    let addresses = [
      ResourceAddress(.kernelArgs, "all"), ResourceAddress(.file, "/etc/ksmtuned.conf"),
      ResourceAddress(.service, "ksmtuned"), ResourceAddress(.sysfs, "/sys/kernel/mm/ksm/run"),
      ResourceAddress(.sysctl, "kernel.numa_balancing"), ResourceAddress(.file, "/odd/\"quoted\"\\name"),
    ]
    #expect(
      addresses.map(\.description) == [
        #"kernel_args["all"]"#, #"file["/etc/ksmtuned.conf"]"#, #"service["ksmtuned"]"#,
        #"sysfs["/sys/kernel/mm/ksm/run"]"#, #"sysctl["kernel.numa_balancing"]"#, #"file["/odd/\"quoted\"\\name"]"#,
      ])
    for address in addresses { #expect(ResourceAddress(parsing: address.description) == address) }
    #expect(ResourceAddress(parsing: #"disk["x"]"#) == nil)
    #expect(ResourceAddress(parsing: #"file["a"b"]"#) == nil)
    let json = try JSONEncoder().encode(addresses[0])
    #expect(String(decoding: json, as: UTF8.self) == #""kernel_args[\"all\"]""#)
    #expect(try JSONDecoder().decode(ResourceAddress.self, from: json) == addresses[0])
  }

  @Test func digestsAreSHA256OfTheBytes() {
    #expect(
      Digest.of(Data("abc".utf8)).description
        == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      Digest.of(Data()).description == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let long = Data(String(repeating: "a", count: 1000).utf8)
    #expect(
      Digest.of(long).description == "sha256:41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    #expect(Digest.of(nil as Data?) == .absent)
    for digest in [Digest.of(long), .absent, .notRendered] { #expect(Digest(parsing: digest.description) == digest) }
    #expect(Digest(parsing: "sha256:abc") == nil)
  }

  @Test func theSummaryCountsEachActionAndSaysWhenNothingChanges() {
    func change(_ name: String, _ actions: [Action]) -> ResourceChange {
      ResourceChange(.init(.service, name), actions: actions, before: nil, after: nil, reason: "", origin: "")
    }
    var plan = Plan(
      root: "/", specFile: "h", specText: "",
      changes: [
        change("a", [.enable, .start]), change("b", [.enable]), change("c", []),
        ResourceChange(.init(.file, "/x"), actions: [.update], before: nil, after: nil, reason: "", origin: ""),
      ], diagnostics: [], observations: [], regeneration: nil)
    #expect(plan.summary == "Plan: 1 to change, 2 to enable, 1 to start.")
    #expect(plan.pendingChanges.count == 3)
    #expect(plan.changes[0].symbol == "+")
    plan.changes = [change("c", [])]
    #expect(plan.summary == "No changes. The host matches the desired state.")
    #expect(!plan.hasChanges)
  }

  @Test func rebootRequiredComesFromTheDiagnosticsCodeNotItsWords() {
    func plan(_ diagnostics: [Diagnostic]) -> Plan {
      Plan(
        root: "/", specFile: "h", specText: "", changes: [], diagnostics: diagnostics, observations: [],
        regeneration: nil)
    }
    #expect(plan([Diagnostic(.note, .rebootRequired, "the next boot applies amd_iommu=on")]).rebootRequired)
    #expect(!plan([Diagnostic(.note, .mergeAcrossNodesSkipped, "reboot required (not really)")]).rebootRequired)
  }

  @Test func sourcesDigestsAndCodesRoundTripThroughTheirStringForms() throws {
    let sources: [ObservationSource] = [
      .facts, .file("/etc/ksmtuned.conf"), .live("/sys/kernel/mm/ksm/run"), .service("ksm"),
    ]
    #expect(
      sources.map(\.description) == ["facts", "file /etc/ksmtuned.conf", "sysfs /sys/kernel/mm/ksm/run", "service ksm"])
    for source in sources { #expect(ObservationSource(parsing: source.description) == source) }
    #expect(ObservationSource(parsing: "disk /dev/sda") == nil)
    let diagnostic = Diagnostic(.note, .rebootRequired, "reboot required", address: .init(.kernelArgs, "all"))
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let json = try encoder.encode(diagnostic)
    #expect(String(decoding: json, as: UTF8.self).contains(#""code":"reboot-required""#))
    #expect(try decoder.decode(Diagnostic.self, from: json) == diagnostic)
    let formatOne = Data(#"{"severity":"note","summary":"reboot required"}"#.utf8)
    #expect(try decoder.decode(Diagnostic.self, from: formatOne).code == .unrecorded)
  }
}

/// The one table of what a diagnostic adds to `check`'s verdict: the running host's state
/// counts (a reboot or a module load to come is pending, an effect that differs is drifted,
/// what cannot be read is unknown); notes and warnings that only inform add nothing.
@Suite struct DiagnosticContributionTests {
  @Test func eachCodeOfTheVerdictRuleContributesItsVerdictAndInformingOnesNothing() {
    let contributions = Dictionary(uniqueKeysWithValues: Diagnostic.Code.allCases.map { ($0, $0.contribution) })
    #expect(contributions[.rebootRequired] == .pending)
    #expect(contributions[.moduleReload] == .pending)
    #expect(contributions[.effectDiffers] == .drifted)
    #expect(contributions[.missingLiveValue] == .unknown)
    #expect(contributions[.serviceStateUnknown] == .unknown)
    for informing in [
      Diagnostic.Code.tunedOwnsArgument, .hugePagesAtRuntime, .smtSiblingNotIsolated, .mergeAcrossNodesSkipped,
      .pinnedMemoryMoves, .initramfs, .kernelArgumentCoverage,
    ] {
      #expect(contributions[informing] == Diagnostic.Contribution.none, "\(informing)")
    }
    #expect(Diagnostic.Code.allCases.filter { $0.contribution == .drifted } == [.effectDiffers])
    // A daemon or guest that has not started again since its files changed: pending restart.
    #expect(
      Diagnostic.Code.allCases.filter { $0.contribution == .pendingRestart } == [
        .guestRestartPending, .daemonRestartHeld, .daemonRestartOwed, .guestsOnOldSettings,
      ])
  }
}
