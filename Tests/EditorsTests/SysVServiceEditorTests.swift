import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// The links of `name` in every rcN.d folder of the seed host, as `rcN.d/LINK -> TEXT`.
private func linkSet(_ root: FixtureRoot, _ name: String) throws -> [String] {
  var result: [String] = []
  for level in 0...6 {
    let folder = "/etc/rc.d/rc\(level).d"
    for entry in try FileManager.default.contentsOfDirectory(atPath: root.path + folder).sorted()
    where entry.hasSuffix(name) && entry.dropFirst().drop(while: \.isNumber) == name[...] {
      let text = try FileManager.default.destinationOfSymbolicLink(atPath: root.path + folder + "/" + entry)
      result.append("rc\(level).d/\(entry) -> \(text)")
    }
  }
  return result
}

@Suite struct SysVServiceEditorTests {
  @Test func theSeedHostIsDetectedAsSysV() throws {
    let root = try FixtureRoot(seed)
    #expect(try InitSystem.detect(root: try root.root) == .sysv)
    #expect(try ServiceEditor(root: try root.root).initSystem == .sysv)
  }

  @Test func readsTheChkconfigListViewOfTheSeedHost() throws {
    let root = try FixtureRoot(seed)
    let editor = try ServiceEditor(root: try root.root)
    #expect(
      try editor.state("ksm")
        == ServiceState(
          name: "ksm", exists: true, enabled: false, masked: false,
          detail: "ksm 0:off 1:off 2:off 3:off 4:off 5:off 6:off"
        ))
    #expect(
      try editor.state("libvirtd")
        == ServiceState(
          name: "libvirtd", exists: false, enabled: false, masked: false, detail: "libvirtd not found"))
  }

  @Test func chkconfigKsmOnMakesTheStartLinksInLevelsTwoToFive() throws {
    let root = try FixtureRoot(seed)
    let editor = try ServiceEditor(root: try root.root)
    let changes = try editor.enablementChanges("ksm", enabled: true)
    #expect(
      changes
        == [2, 3, 4, 5].map { LinkChange(kind: .remove, path: "/etc/rc.d/rc\($0).d/K16ksm", target: "../init.d/ksm") }
        + [2, 3, 4, 5].map { LinkChange(kind: .create, path: "/etc/rc.d/rc\($0).d/S84ksm", target: "../init.d/ksm") })
    try root.apply(changes, checkedBy: editor)
    #expect(
      try linkSet(root, "ksm") == [
        "rc0.d/K16ksm -> ../init.d/ksm", "rc1.d/K16ksm -> ../init.d/ksm", "rc2.d/S84ksm -> ../init.d/ksm",
        "rc3.d/S84ksm -> ../init.d/ksm", "rc4.d/S84ksm -> ../init.d/ksm", "rc5.d/S84ksm -> ../init.d/ksm",
        "rc6.d/K16ksm -> ../init.d/ksm",
      ])
    let state = try editor.state("ksm")
    #expect(state.detail == "ksm 0:off 1:off 2:on 3:on 4:on 5:on 6:off")
    #expect(state.enabled)
    #expect(try editor.enablementChanges("ksm", enabled: true) == [])
    #expect(try editor.state("ksmtuned").detail == "ksmtuned 0:off 1:off 2:off 3:off 4:off 5:off 6:off")
  }

  @Test func ksmtunedUsesItsOwnPriorities() throws {
    let root = try FixtureRoot(seed)
    let editor = try ServiceEditor(root: try root.root)
    try root.apply(try editor.enablementChanges("ksmtuned", enabled: true), checkedBy: editor)
    #expect(
      try linkSet(root, "ksmtuned").filter { $0.contains("/S") }
        == [2, 3, 4, 5].map {
          "rc\($0).d/S85ksmtuned -> ../init.d/ksmtuned"
        })
  }

  @Test func onThenOffGivesBackTheOriginalTree() throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let editor = try ServiceEditor(root: try root.root)
    #expect(try editor.enablementChanges("ksm", enabled: false) == [])
    for name in ["ksm", "ksmtuned"] {
      try root.apply(try editor.enablementChanges(name, enabled: true), checkedBy: editor)
    }
    #expect(try root.snapshot() != before)
    for name in ["ksm", "ksmtuned"] {
      try root.apply(try editor.enablementChanges(name, enabled: false), checkedBy: editor)
    }
    #expect(try root.snapshot() == before)
  }

  @Test func applyingTwiceGivesTheSameTreeAsOnce() throws {
    let once = try FixtureRoot(seed)
    let twice = try FixtureRoot(seed)
    let changes = try ServiceEditor(root: try once.root).enablementChanges("ksm", enabled: true)
    try once.apply(changes, checkedBy: try ServiceEditor(root: try once.root))
    try twice.apply(changes, checkedBy: try ServiceEditor(root: try twice.root))
    try twice.apply(changes, checkedBy: try ServiceEditor(root: try twice.root))
    #expect(try once.snapshot() == twice.snapshot())
  }

  @Test func theHeaderLevelsDecideAndLsbBlocksAreRead() throws {
    let root = try FixtureRoot(seed)
    try root.write(
      "/etc/rc.d/init.d/libvirtd", "#!/bin/sh\n# chkconfig: 345 97 03\n# description: libvirtd\nexit 0\n")
    try root.write(
      "/etc/rc.d/init.d/guests",
      "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: guests\n# Default-Start: 3 5\n# Default-Stop: 0 1 2 4 6\n"
        + "### END INIT INFO\n")
    let editor = try ServiceEditor(root: try root.root)
    try root.apply(try editor.enablementChanges("libvirtd", enabled: true), checkedBy: editor)
    try root.apply(try editor.enablementChanges("guests", enabled: true), checkedBy: editor)
    #expect(try editor.state("libvirtd").detail == "libvirtd 0:off 1:off 2:off 3:on 4:on 5:on 6:off")
    #expect(try linkSet(root, "libvirtd")[2] == "rc2.d/K03libvirtd -> ../init.d/libvirtd")
    #expect(try editor.state("guests").detail == "guests 0:off 1:off 2:off 3:on 4:off 5:on 6:off")
    #expect(try linkSet(root, "guests")[3] == "rc3.d/S50guests -> ../init.d/guests")
  }

  @Test(arguments: [
    ("../../bin/sh", "invalid service name \"../../bin/sh\": it contains /"),
    ("..", "invalid service name \"..\": it contains .."),
    ("", "invalid service name \"\": it is empty"),
    ("ksm tuned", "invalid service name \"ksm tuned\": it contains \" \""),
    ("libvirtd", "unknown service libvirtd: no init script /etc/rc.d/init.d/libvirtd"),
  ])
  func badNamesAndUnknownServicesAreRefused(name: String, message: String) throws {
    let root = try FixtureRoot(seed)
    let editor = try ServiceEditor(root: try root.root)
    let error = editorError { () throws(EditorError) in _ = try editor.enablementChanges(name, enabled: true) }
    #expect(error?.message == message)
  }

  @Test func linksToChangeRefusesForeignFilesAndLinksOutsideEtc() throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let editor = try ServiceEditor(root: try root.root)
    let changes = [
      LinkChange(kind: .create, path: "/etc/rc.d/rc3.d/S84ksm", target: "../init.d/ksm"),
      LinkChange(kind: .remove, path: "/etc/rc.d/rc3.d/K15ksmtuned", target: "../init.d/other"),
    ]
    let error = editorError { () throws(EditorError) in _ = try editor.linksToChange(changes) }
    #expect(
      error?.description == "/etc/rc.d/rc3.d/K15ksmtuned: points to ../init.d/ksmtuned, not ../init.d/other: left alone"
    )
    let outside = editorError { () throws(EditorError) in
      _ = try editor.linksToChange([LinkChange(kind: .create, path: "/usr/bin/x", target: "/bin/sh")])
    }
    #expect(outside?.message == "not an enablement link under /etc: left alone")
    #expect(try root.snapshot() == before)
  }

  @Test func whetherAServiceRunsIsNotAskedForAnOfflineRoot() throws {
    let root = try FixtureRoot(seed)
    let manager = ServiceManager(try ServiceEditor(root: try root.root).services)
    #expect(try manager.isRunning("ksm") == nil)
    #expect(try manager.command(.start, for: "ksm").last == "start")
  }

  @Test func alreadyMadeLinksAreLeftOutSoApplyingTwiceIsApplyingOnce() throws {
    let root = try FixtureRoot(seed)
    let editor = try ServiceEditor(root: try root.root)
    let changes = try editor.enablementChanges("ksm", enabled: true)
    #expect(try editor.linksToChange(changes) == changes)
    try root.apply(changes, checkedBy: editor)
    #expect(try editor.linksToChange(changes) == [])
  }

  @Test func anUnknownInitSystemIsAClearError() throws {
    let root = try FixtureRoot(seed)
    try FileManager.default.removeItem(at: root.url("/etc/rc.d"))
    try FileManager.default.removeItem(at: root.url("/etc/init.d"))
    let host = try root.root
    let error = #expect(throws: ServiceConfigError.self) { try InitSystem.detect(root: host) }
    #expect(
      error?.message.hasPrefix("cannot tell the init system of the root \(host.path): no /run/systemd/system") == true)
  }
}
