import Editors
import Foundation
import KSMConfig
import TestSupport
import Testing

@testable import Engine

/// `ksm.settings.DEBUG` is a boolean that means what it says, and any
/// setting can be unset with `null`, from the spec to the planned bytes.
@Suite struct KsmtunedDesiredValueTests {
  static func settings(_ yaml: String) throws -> [HostSpec.KSMSetting] {
    try SpecParser.parse("ksm:\n  settings:\n" + yaml, file: "h.yaml").ksm?.settings ?? []
  }

  @Test(arguments: ["false", "False", "no", "off", "0"]) func debugFalseIsUnset(_ word: String) throws {
    #expect(try Self.settings("    DEBUG: \(word)\n") == [.init(.debug, .unset)])
  }

  @Test(arguments: ["true", "yes", "on", "1", "TRUE"]) func debugTrueIsOne(_ word: String) throws {
    #expect(try Self.settings("    DEBUG: \(word)\n") == [.init(.debug, .set("1"))])
  }

  @Test func debugOtherIsAnError() {
    let error = #expect(throws: SpecError.self) { try Self.settings("    DEBUG: maybe\n") }
    #expect(error?.description == "h.yaml:3:12: error: ksm.settings.DEBUG: must be true or false, not \"maybe\"")
  }

  @Test(arguments: ["", "~", "null"]) func aNullSettingIsUnset(_ word: String) throws {
    #expect(
      try Self.settings("    KSM_NPAGES_MAX: \(word)\n    LOGFILE: \(word)\n")
        == [.init(.npagesMax, .unset), .init(.logFile, .unset)])
  }

  @Test func aQuotedNullIsStillAnEmptyValue() {
    let error = #expect(throws: SpecError.self) { try Self.settings("    LOGFILE: ''\n") }
    #expect(error?.description == "h.yaml:3:14: error: ksm.settings.LOGFILE: cannot be empty; unset it instead")
  }

  /// The daemon keeps ksmtuned's reading of the file: any non-empty `DEBUG` is on.
  @Test func theFileRuleIsKsmtunedsTest() {
    #expect(KsmtunedSetting.isDebugging("false"))
    #expect(KsmtunedSetting.isDebugging("0"))
    #expect(!KsmtunedSetting.isDebugging("''"))
    #expect(!KsmtunedSetting.isDebugging(nil))
  }

  static let shipped = "Tests/EditorsTests/Fixtures/debian12-packages/ksmtuned"

  static func plan(_ root: FixtureRoot, _ yaml: String) throws -> Plan {
    try Planner(root: root.host).plan(specText: "ksm:\n  settings:\n" + yaml, specFile: "h.yaml")
  }

  @Test func debugFalseOnTheShippedFileIsNoChange() throws {
    let root = try FixtureRoot(Self.shipped)
    let plan = try Self.plan(root, "    DEBUG: false\n")
    #expect(plan.fileOperations.isEmpty)
    #expect(plan.changes.map(\.before) == ["DEBUG=unset"])
    #expect(plan.changes.map(\.after) == ["DEBUG=unset"])
  }

  @Test func debugFalseOnDebugOneRestoresTheShippedComment() throws {
    let root = try FixtureRoot(Self.shipped)
    let shipped = try root.text("/etc/ksmtuned.conf")
    try root.write("/etc/ksmtuned.conf", shipped.replacingOccurrences(of: "# DEBUG=1", with: "DEBUG=1"))
    let plan = try Self.plan(root, "    DEBUG: off\n")
    let after = plan.fileOperations.first?.after.map { String(decoding: $0, as: UTF8.self) }
    #expect(after == shipped)
    #expect(plan.changes.map(\.before) == ["DEBUG=1"])
    #expect(plan.changes.map(\.after) == ["DEBUG=unset"])
  }

  @Test func debugTrueWritesTheShippedSpelling() throws {
    let root = try FixtureRoot(Self.shipped)
    let shipped = try root.text("/etc/ksmtuned.conf")
    let plan = try Self.plan(root, "    DEBUG: yes\n")
    let after = plan.fileOperations.first?.after.map { String(decoding: $0, as: UTF8.self) }
    #expect(after == shipped.replacingOccurrences(of: "# DEBUG=1", with: "DEBUG=1"))
  }

  @Test func aNullSettingCommentsItsAssignmentBack() throws {
    let root = try FixtureRoot(Self.shipped)
    let shipped = try root.text("/etc/ksmtuned.conf")
    try root.write(
      "/etc/ksmtuned.conf", shipped.replacingOccurrences(of: "# KSM_NPAGES_MAX=1250", with: "KSM_NPAGES_MAX=4000"))
    let plan = try Self.plan(root, "    KSM_NPAGES_MAX: null\n")
    let after = plan.fileOperations.first?.after.map { String(decoding: $0, as: UTF8.self) }
    #expect(after == shipped)
  }
}
