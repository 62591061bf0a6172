import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Engine

@Suite struct SpecParserTests {
  static func fixture(_ name: String) throws -> String {
    try String(
      contentsOf: FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/\(name)"), encoding: .utf8)
  }

  @Test func reportsEveryErrorAtOnceWithPositionKeyPathAndSuggestion() throws {
    let text = try Self.fixture("invalid.yaml")
    let error = #expect(throws: SpecError.self) { try SpecParser.parse(text, file: "invalid.yaml") }
    #expect(
      error?.description == """
        invalid.yaml:1:8: error: iommu: must be one of on, off, unmanaged, not "maybe"
        invalid.yaml:2:1: error: iommu_passthru: unknown key; did you mean "iommu_passthrough"?
        invalid.yaml:4:12: error: kernel.entries: must be one of all, default, not "defualt"; did you mean "default"?
        invalid.yaml:6:43: error: kernel.args.present: \(Self.badArgMessage)
        invalid.yaml:7:13: error: kernel.args.absent: must be a list, for example [nomodeset]
        invalid.yaml:10:3: error: ksm.tunr: unknown key; did you mean "tuner"?
        invalid.yaml:12:5: error: ksm.settings.KSM_NPAGES_MAXX: unknown key; did you mean "KSM_NPAGES_MAX"?
        invalid.yaml:13:21: error: ksm.settings.KSM_SLEEP_MSEC: must be a whole number, not "fast"
        invalid.yaml:15:3: error: services.ksm: is already managed by ksm.enabled
        invalid.yaml:16:13: error: services.libvirtd: must be one of enabled, disabled, running, stopped, not "runing"; did you mean "running"?
        invalid.yaml:18:3: error: sysctl.swappiness: "swappiness" is not a sysctl key such as vm.swappiness
        """)
    #expect(error?.diagnostics.count == 11)
    #expect(error?.diagnostics[1].location == SourceLocation(file: "invalid.yaml", line: 2, column: 1))
    #expect(error?.diagnostics[1].keyPath == "iommu_passthru")
  }

  static let badArgMessage =
    "kernel argument 'bad arg' contains whitespace or a control character (space, tab, newline, NUL…): give one argument per item, unquoted"

  @Test func readsEveryKeyOfAValidFile() throws {
    let spec = try SpecParser.parse(
      """
      iommu: on
      iommu_passthrough: true
      kernel:
        entries: default
        args:
          present: [transparent_hugepage=never]
          absent: [nomodeset]
      ksm:
        enabled: true
        tuner: bundled
        merge_across_nodes: false
        settings:
          KSM_MONITOR_INTERVAL: 60
          KSM_NPAGES_MAX: 1250
      services:
        libvirtd: running
      sysctl:
        kernel.numa_balancing: 1
      """, file: "host.yaml")
    var expected = HostSpec()
    expected.iommu = .on
    expected.iommuPassthrough = true
    expected.kernel = .init(
      entries: .default, present: [KernelArgument(key: "transparent_hugepage", value: "never")],
      absent: [KernelArgument(key: "nomodeset", value: nil)])
    expected.ksm = .init(
      enabled: true, tuner: .bundled, mergeAcrossNodes: false,
      settings: [.init(.monitorInterval, "60"), .init(.npagesMax, "1250")])
    expected.services = [("libvirtd", .running)]
    expected.sysctl = [.init("kernel.numa_balancing", "1")]
    #expect(spec == expected)
  }

  @Test func reportsAYAMLSyntaxErrorWithItsPosition() {
    let error = #expect(throws: SpecError.self) { try SpecParser.parse("iommu: on\n  bad: [\n", file: "h.yaml") }
    #expect(error?.description == "h.yaml:2:6: error: not valid YAML: mapping values are not allowed in this context")
  }

  @Test func reportsADuplicateKeyAtItsSecondOccurrence() {
    let error = #expect(throws: SpecError.self) { try SpecParser.parse("iommu: on\niommu: off\n", file: "h.yaml") }
    #expect(error?.description == "h.yaml:2:1: error: not valid YAML: duplicate key \"iommu\"")
  }

  @Test func refusesAnEmptyFile() {
    let error = #expect(throws: SpecError.self) { try SpecParser.parse("# nothing\n", file: "h.yaml") }
    #expect(error?.description == "h.yaml:1:1: error: the file holds no desired state")
  }

  @Test func refusesAnArgumentBothPresentAndAbsent() {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("kernel:\n  args:\n    present: [quiet]\n    absent: [quiet]\n", file: "h.yaml")
    }
    #expect(error?.description == "h.yaml:4:14: error: kernel.args.absent: \"quiet\" is also in kernel.args.present")
  }

  @Test func theStarterFileOfInitParsesAndManagesIommuAndKsm() throws {
    let spec = try SpecParser.parse(try StarterSpec.text(), file: "host.yaml")
    #expect(spec.iommu == .on)
    #expect(spec.ksm?.enabled == true)
    #expect(spec.ksm?.settings.count == 8)
    #expect(spec.services.isEmpty && spec.sysctl.isEmpty)
  }

  @Test func suggestsOnlyNamesWithinAFewEdits() {
    #expect(NameSuggestion.nearest("tunr", in: SpecParser.ksmKeys) == "tuner")
    #expect(NameSuggestion.nearest("enabeld", in: SpecParser.ksmKeys) == "enabled")
    #expect(NameSuggestion.nearest("zzzzzz", in: SpecParser.ksmKeys) == nil)
  }
}
