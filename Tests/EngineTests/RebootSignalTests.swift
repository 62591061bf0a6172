import Foundation
import TestSupport
import Testing

@testable import Engine

/// The reboot-required signal on a copy of a root's `/run`: Debian's sentinel and its list
/// of requesters (what unattended-upgrades, needrestart and kured read), raised by a pending
/// reboot, lowered by virthost only for its own line, and never written through a link or
/// in a folder another user can write.
@Suite struct RebootSignalTests {
  private let reasons = ["amd_iommu=on is not on the running kernel's command line"]

  private func root() throws -> FixtureRoot {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try FileManager.default.createDirectory(atPath: root.path + "/run", withIntermediateDirectories: true)
    return root
  }

  private func mode(_ root: FixtureRoot, _ path: String) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: root.path + path)[.posixPermissions] as? Int ?? -1
  }

  @Test func aPendingRebootMakesTheSentinelAndAVirthostLineAndKeepsItsReasonsPrivately() throws {
    let root = try root()
    #expect(RebootSignal.update(root.host, reasons: reasons) == nil)
    #expect(try root.text("/run/reboot-required") == "*** System restart required ***\n")
    #expect(try root.text("/run/reboot-required.pkgs") == "virthost\n")
    #expect(
      try root.text("/run/virthost/reboot-required")
        == "# virthost created /run/reboot-required\n"
        + "reboot-required: amd_iommu=on is not on the running kernel's command line\n")
    #expect(try mode(root, "/run/virthost/reboot-required") == 0o600)
    let before = try root.snapshot()
    #expect(RebootSignal.update(root.host, reasons: reasons) == nil)
    #expect(try root.snapshot() == before, "raised twice is raised once")
  }

  @Test func loweringRemovesWhatVirthostMadeAndNothingElse() throws {
    let root = try root()
    RebootSignal.update(root.host, reasons: reasons)
    #expect(RebootSignal.update(root.host, reasons: []) == nil)
    for path in ["/run/reboot-required", "/run/reboot-required.pkgs", "/run/virthost/reboot-required"] {
      #expect(!FileManager.default.fileExists(atPath: root.path + path), "\(path) is gone")
    }
  }

  /// A kernel update had asked for the reboot first: its sentinel and its line stay when
  /// virthost's reason goes.
  @Test func anotherRequestersSentinelAndLineStayWhenVirthostLowersItsOwn() throws {
    let root = try root()
    try root.write("/run/reboot-required", "*** System restart required ***\n")
    try root.write("/run/reboot-required.pkgs", "linux-image-6.1.0-29-amd64\n")
    RebootSignal.update(root.host, reasons: reasons)
    #expect(try root.text("/run/reboot-required.pkgs") == "linux-image-6.1.0-29-amd64\nvirthost\n")
    #expect(try root.text("/run/virthost/reboot-required").hasPrefix("# /run/reboot-required was there before"))
    RebootSignal.update(root.host, reasons: [])
    #expect(try root.text("/run/reboot-required.pkgs") == "linux-image-6.1.0-29-amd64\n")
    #expect(try root.text("/run/reboot-required") == "*** System restart required ***\n")
    #expect(!FileManager.default.fileExists(atPath: root.path + "/run/virthost/reboot-required"))
  }

  /// Without virthost's record nothing is lowered: the sentinel is another tool's.
  @Test func withoutItsRecordVirthostLowersNothing() throws {
    let root = try root()
    try root.write("/run/reboot-required", "*** System restart required ***\n")
    try root.write("/run/reboot-required.pkgs", "virthost\n")
    let before = try root.snapshot()
    #expect(RebootSignal.update(root.host, reasons: []) == nil)
    #expect(try root.snapshot() == before)
  }

  /// A record planted as a link, or a folder another user can write, is refused: nothing
  /// is read through the link and nothing is written.
  @Test func aPlantedRecordOrAFolderOthersCanWriteIsRefusedAndNothingWritten() throws {
    let root = try root()
    try root.write("/etc/secret", "keep\n")
    try FileManager.default.createDirectory(atPath: root.path + "/run/virthost", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/run/virthost/reboot-required", withDestinationPath: root.path + "/etc/secret")
    let before = try root.snapshot()
    let warning = try #require(RebootSignal.update(root.host, reasons: []))
    #expect(warning.hasPrefix("the reboot-required signal was not updated: "), "\(warning)")
    #expect(try root.snapshot() == before)
    try FileManager.default.removeItem(atPath: root.path + "/run/virthost/reboot-required")
    chmod(root.path + "/run/virthost", 0o777)
    let open = try #require(RebootSignal.update(root.host, reasons: reasons))
    #expect(open.contains("/run/virthost"), "\(open)")
    #expect(!FileManager.default.fileExists(atPath: root.path + "/run/reboot-required"))
  }
}
