import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

private let wants = "/etc/systemd/system/multi-user.target.wants"

@Suite struct SystemdServiceEditorTests {
  @Test func theFixtureHostIsDetectedAsSystemd() throws {
    let root = try FixtureRoot(systemdHost)
    #expect(try InitSystem.detect(root: try root.root) == .systemd)
  }

  @Test func vendorUnitsStartDisabled() throws {
    let root = try FixtureRoot(systemdHost)
    let editor = try ServiceEditor(root: try root.root)
    #expect(
      try editor.state("ksm")
        == ServiceState(name: "ksm", exists: true, enabled: false, masked: false, detail: "disabled"))
    #expect(try editor.state("e2scrub_reap.service").detail == "enabled (multi-user.target.wants)")
    #expect(try editor.state("libvirtd").exists == false)
  }

  @Test func enableLinksEachUnitIntoMultiUserWants() throws {
    let root = try FixtureRoot(systemdHost)
    let editor = try ServiceEditor(root: try root.root)
    let changes = try ["ksm", "ksmtuned"].flatMap { try editor.enablementChanges($0, enabled: true) }
    #expect(
      changes == [
        LinkChange(kind: .create, path: wants + "/ksm.service", target: "/lib/systemd/system/ksm.service"),
        LinkChange(kind: .create, path: wants + "/ksmtuned.service", target: "/lib/systemd/system/ksmtuned.service"),
      ])
    try root.apply(changes, checkedBy: editor)
    #expect(
      try FileManager.default.destinationOfSymbolicLink(atPath: root.path + wants + "/ksm.service")
        == "/lib/systemd/system/ksm.service")
    #expect(
      try editor.state("ksmtuned")
        == ServiceState(
          name: "ksmtuned", exists: true, enabled: true, masked: false, detail: "enabled (multi-user.target.wants)"))
    #expect(try editor.enablementChanges("ksm", enabled: true) == [])
  }

  @Test func disableRemovesTheLinksAndGivesBackTheTree() throws {
    let root = try FixtureRoot(systemdHost)
    let before = try root.snapshot()
    let editor = try ServiceEditor(root: try root.root)
    try root.apply(try editor.enablementChanges("ksm", enabled: true), checkedBy: editor)
    #expect(
      try editor.enablementChanges("ksm", enabled: false) == [
        LinkChange(kind: .remove, path: wants + "/ksm.service", target: "/lib/systemd/system/ksm.service")
      ])
    try root.apply(try editor.enablementChanges("ksm", enabled: false), checkedBy: editor)
    #expect(try editor.state("ksm").detail == "disabled")
    #expect(try editor.enablementChanges("ksm", enabled: false) == [])
    #expect(try root.snapshot() == before)
  }

  @Test func applyingTwiceGivesTheSameTreeAsOnce() throws {
    let once = try FixtureRoot(systemdHost)
    let twice = try FixtureRoot(systemdHost)
    let changes = try ServiceEditor(root: try once.root).enablementChanges("ksmtuned", enabled: true)
    try once.apply(changes, checkedBy: try ServiceEditor(root: try once.root))
    try twice.apply(changes, checkedBy: try ServiceEditor(root: try twice.root))
    try twice.apply(changes, checkedBy: try ServiceEditor(root: try twice.root))
    #expect(try once.snapshot() == twice.snapshot())
  }

  @Test func aMaskedUnitIsReportedAndLeftAlone() throws {
    let root = try FixtureRoot(systemdHost)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/ksmtuned.service", withDestinationPath: "/dev/null")
    let before = try root.snapshot()
    let editor = try ServiceEditor(root: try root.root)
    #expect(
      try editor.state("ksmtuned")
        == ServiceState(
          name: "ksmtuned", exists: true, enabled: false, masked: true,
          detail: "masked (/etc/systemd/system/ksmtuned.service -> /dev/null)"))
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges("ksmtuned", enabled: true) }
    #expect(
      error?.message
        == "ksmtuned.service is masked (/etc/systemd/system/ksmtuned.service -> /dev/null): unmask it "
        + "(systemctl unmask ksmtuned.service) to enable it")
    // systemctl disable: "Unit … is masked, ignoring." (oracles/systemd/masked.tsv): masked is off.
    #expect(try editor.enablementChanges("ksmtuned", enabled: false) == [])
    #expect(try root.snapshot() == before)
  }

  @Test func aliasAlsoAndRequiredByAreFollowed() throws {
    let root = try FixtureRoot(systemdHost)
    try root.write(
      "/etc/systemd/system/virthost-ksmtuned.service",
      "[Unit]\nDescription=KSM tuner\n\n[Service]\nExecStart=/usr/sbin/virthost-ksmtuned\n\n"
        + "[Install]\nWantedBy=multi-user.target\nRequiredBy=libvirtd.service\nAlias=ksm-tuner.service\nAlso=ksm.service\n"
    )
    let editor = try ServiceEditor(root: try root.root)
    let unit = "/etc/systemd/system/virthost-ksmtuned.service"
    #expect(
      try editor.enablementChanges("virthost-ksmtuned", enabled: true) == [
        LinkChange(kind: .create, path: wants + "/virthost-ksmtuned.service", target: unit),
        LinkChange(
          kind: .create, path: "/etc/systemd/system/libvirtd.service.requires/virthost-ksmtuned.service", target: unit),
        LinkChange(kind: .create, path: "/etc/systemd/system/ksm-tuner.service", target: unit),
        LinkChange(kind: .create, path: wants + "/ksm.service", target: "/lib/systemd/system/ksm.service"),
      ])
    try root.apply(try editor.enablementChanges("virthost-ksmtuned", enabled: true), checkedBy: editor)
    #expect(
      try editor.state("virthost-ksmtuned").detail
        == "enabled (alias ksm-tuner.service, libvirtd.service.requires, multi-user.target.wants)")
    try root.apply(try editor.enablementChanges("virthost-ksmtuned", enabled: false), checkedBy: editor)
    #expect(try editor.state("virthost-ksmtuned").detail == "disabled")
    #expect(try editor.state("ksm").detail == "disabled")
  }

  @Test func absoluteLinksAreFollowedInsideTheRoot() throws {
    let root = try FixtureRoot(systemdHost)
    try root.write(
      "/opt/virthost/units/tuner.service", "[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=kvm.target\n")
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/systemd/system/tuner.service", withDestinationPath: "/opt/virthost/units/tuner.service")
    let editor = try ServiceEditor(root: try root.root)
    let changes = try editor.enablementChanges("tuner", enabled: true)
    #expect(
      changes == [
        LinkChange(
          kind: .create, path: "/etc/systemd/system/kvm.target.wants/tuner.service",
          target: "/etc/systemd/system/tuner.service")
      ])
    try root.apply(changes, checkedBy: editor)
    #expect(try editor.state("tuner").detail == "enabled (kvm.target.wants)")
  }

  @Test func aUnitWithoutInstallSectionCannotBeEnabled() throws {
    let root = try FixtureRoot(systemdHost)
    try root.write("/lib/systemd/system/ksm-static.service", "[Service]\nExecStart=/bin/true\n")
    let editor = try ServiceEditor(root: try root.root)
    #expect(try editor.state("ksm-static").detail == "static (no [Install] section)")
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges("ksm-static", enabled: true) }
    #expect(
      error?.message
        == "ksm-static.service has no [Install] section (WantedBy=, RequiredBy=, Alias=, Also=): "
        + "systemctl enable cannot enable it")
    #expect(try editor.enablementChanges("ksm-static", enabled: false) == [])
  }

  @Test func anUnknownUnitIsAnError() throws {
    let root = try FixtureRoot(systemdHost)
    let editor = try ServiceEditor(root: try root.root)
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges("libvirtd", enabled: true) }
    #expect(
      error?.message
        == "unknown service libvirtd: no unit file libvirtd.service in /etc/systemd/system, /run/systemd/system, "
        + "/usr/local/lib/systemd/system, /usr/lib/systemd/system, /lib/systemd/system")
  }
}

@Suite struct SystemdUnitReadingTests {
  @Test func aUnitFileThatIsNotTextIsRefusedAtItsLineAndColumn() throws {
    let root = try FixtureRoot(systemdHost)
    try Data([UInt8]("[Unit]\nDescription=KSM\u{0}\n".utf8)).write(to: root.url("/lib/systemd/system/ksm.service"))
    let editor = try ServiceEditor(root: try root.root)
    let error = editorError { () throws(EditorError) in _ = try editor.state("ksm") }
    #expect(
      error
        == EditorError(
          file: "/lib/systemd/system/ksm.service", line: 2, column: 16, message: "holds a NUL byte: not a text file"))
  }

  @Test func aUnitTheLensRefusesIsReportedWithItsFileAndLine() throws {
    let root = try FixtureRoot(systemdHost)
    try root.write("/lib/systemd/system/ksm.service", "[Unit]\nDescription=KSM\n[Install\nWantedBy=x\n")
    let editor = try ServiceEditor(root: try root.root)
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges("ksm", enabled: true) }
    #expect(error?.file == "/lib/systemd/system/ksm.service")
    #expect(error?.line == 3)
    #expect(error?.message.hasPrefix("cannot be parsed") == true)
  }
}
