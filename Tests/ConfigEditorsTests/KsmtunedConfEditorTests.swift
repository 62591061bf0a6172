import Editors
import Foundation
import TestSupport
import Testing

@Suite struct KsmtunedConfEditorTests {
  @Test func readsTheStockFileAsSilentWithKsmtunedDefaultsEffective() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: root.path)
    let values = try editor.values()
    #expect(editor.exists)
    #expect(values[.npagesMax] == KsmtunedValue(inFile: nil, effective: "1250"))
    #expect(values[.npagesDecay] == KsmtunedValue(inFile: nil, effective: "-50"))
    #expect(values[.logFile] == KsmtunedValue(inFile: nil, effective: nil))
    #expect(values.count == 10)
  }

  @Test func walkthroughSettingsLandWhereTheirCommentsStood() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: root.path)
    try editor.set(walkthroughSettings)
    let expected = try golden("ksmtuned-walkthrough.conf")
    #expect(
      try editor.pendingChanges() == [
        FileChange(path: "/etc/ksmtuned.conf", before: try root.text("/etc/ksmtuned.conf"), after: expected)
      ])
    #expect(try editor.save() == ["/etc/ksmtuned.conf"])
    #expect(try root.text("/etc/ksmtuned.conf") == expected)
    let values = try KsmtunedConfEditor(root: root.path).values()
    for (setting, value) in walkthroughSettings {
      #expect(values[setting] == KsmtunedValue(inFile: value, effective: value))
    }
  }

  @Test func aFileAlreadyHoldingTheValuesIsNotWritten() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", try golden("ksmtuned-walkthrough.conf"))
    let before = try root.snapshot()
    let editor = try KsmtunedConfEditor(root: root.path)
    try editor.set(walkthroughSettings)
    #expect(try editor.pendingChanges() == [])
    #expect(try editor.save() == [])
    #expect(try root.snapshot() == before)
  }

  @Test func settingTwiceGivesTheSameTreeAsOnce() throws {
    let once = try FixtureRoot(seed)
    let twice = try FixtureRoot(seed)
    let changes: [KsmtunedSetting: String] = [.npagesMax: "3000", .logFile: "/var/log/ksmtuned", .debug: "1"]
    try {
      let e = try KsmtunedConfEditor(root: once.path)
      try e.set(changes)
      try e.save()
    }()
    for _ in 0..<2 {
      let editor = try KsmtunedConfEditor(root: twice.path)
      try editor.set(changes)
      try editor.save()
    }
    #expect(try once.snapshot() == twice.snapshot())
    #expect(try once.text("/etc/ksmtuned.conf").contains("\n\nLOGFILE=/var/log/ksmtuned\nDEBUG=1\n"))
  }

  @Test(arguments: [
    ("$(reboot)", "command substitution $(...)"),
    ("/var/log/`reboot`", "command substitution `...`"),
    ("/var/log/ksm; reboot", "the command separator ;"),
    ("/var/log/ksm\nreboot", "a newline"),
  ])
  func shellSyntaxIsRefusedAndTheFileStaysByteIdentical(value: String, what: String) throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let editor = try KsmtunedConfEditor(root: root.path)
    let error = editorError { () throws(EditorError) in try editor.set([.npagesMax: "2000", .logFile: value]) }
    let shown = "'" + value.replacingOccurrences(of: "\n", with: "\\n") + "'"
    #expect(
      error?.description
        == "/etc/ksmtuned.conf: LOGFILE=\(shown) refused: it contains \(what), which the shell that sources "
        + "/etc/ksmtuned.conf would interpret")
    #expect(try editor.pendingChanges() == [])
    #expect(try editor.save() == [])
    #expect(try root.snapshot() == before)
  }

  @Test func minimumAboveMaximumIsRefusedCountingTheFilesValues() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: root.path)
    let error = editorError { () throws(EditorError) in try editor.set([.npagesMin: "2000"]) }
    #expect(error?.message == "KSM_NPAGES_MIN (2000) must not be greater than KSM_NPAGES_MAX (1250)")
    #expect(try editor.pendingChanges() == [])
    try editor.set([.npagesMax: "4000"])
    try editor.set([.npagesMin: "2000"])
    let unset = editorError { () throws(EditorError) in try editor.unset([.npagesMax]) }
    #expect(unset?.message == "KSM_NPAGES_MIN (2000) must not be greater than KSM_NPAGES_MAX (1250)")
    #expect(try editor.values()[.npagesMax]?.inFile == "4000")
  }

  @Test func valuesAreCheckedBeforeAnythingChanges() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: root.path)
    let cases: [(KsmtunedSetting, String, String)] = [
      (.npagesMax, "lots", "KSM_NPAGES_MAX must be a decimal integer (ksmtuned does arithmetic with it), not 'lots'"),
      (.sleepMsec, "010", "KSM_SLEEP_MSEC must be a decimal integer (ksmtuned does arithmetic with it), not '010'"),
      (.thresCoef, "101", "KSM_THRES_COEF must be at most 100, not 101"),
      (.thresCoef, "-1", "KSM_THRES_COEF must be at least 0, not -1"),
      (.monitorInterval, "0", "KSM_MONITOR_INTERVAL must be at least 1, not 0"),
      (.logFile, "var/log/ksmtuned", "LOGFILE must be an absolute path, not 'var/log/ksmtuned'"),
      (.debug, "", "DEBUG cannot be empty; unset it instead"),
    ]
    for (setting, value, message) in cases {
      let error = editorError { () throws(EditorError) in try editor.set([.npagesBoost: "500", setting: value]) }
      #expect(error == EditorError(file: "/etc/ksmtuned.conf", message: message))
    }
    #expect(try editor.pendingChanges() == [])
  }

  @Test func aValueWithASpaceIsQuotedAndReadsBackTheSame() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: root.path)
    try editor.set([.logFile: "/var/log/ksm tuned.log"])
    try editor.save()
    #expect(try root.text("/etc/ksmtuned.conf").contains("\n\nLOGFILE='/var/log/ksm tuned.log'\n# DEBUG=1\n"))
    #expect(try KsmtunedConfEditor(root: root.path).values()[.logFile]?.inFile == "/var/log/ksm tuned.log")
  }

  @Test func unsetPutsBackTheCommentedDefaultAndTheDefaultApplies() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", try golden("ksmtuned-walkthrough.conf"))
    let editor = try KsmtunedConfEditor(root: root.path)
    try editor.unset([.npagesBoost, .debug])
    try editor.save()
    let text = try root.text("/etc/ksmtuned.conf")
    #expect(text.contains("\n\n# KSM_NPAGES_BOOST=300\nKSM_NPAGES_DECAY=-50\n"))
    #expect(
      try KsmtunedConfEditor(root: root.path).values()[.npagesBoost] == KsmtunedValue(inFile: nil, effective: "300"))
  }

  @Test func setThenUnsetGivesBackTheStockFile() throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let editor = try KsmtunedConfEditor(root: root.path)
    try editor.set(walkthroughSettings.merging([.logFile: "/var/log/ksm tuned", .debug: "1"]) { $1 })
    try editor.save()
    try root.write("/etc/ksmtuned.conf", try root.text("/etc/ksmtuned.conf") + "export DEBUG=yes\n")
    let again = try KsmtunedConfEditor(root: root.path)
    try again.unset(KsmtunedSetting.allCases)
    try again.save()
    #expect(try root.snapshot() == before)
  }

  @Test func aSettingWithoutCommentIsAddedAtTheEnd() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", "# tuned by hand\nKSM_NPAGES_MAX=2000\n")
    let editor = try KsmtunedConfEditor(root: root.path)
    try editor.set([.npagesMax: "2500", .thresCoef: "30"])
    try editor.save()
    #expect(try root.text("/etc/ksmtuned.conf") == "# tuned by hand\nKSM_NPAGES_MAX=2500\nKSM_THRES_COEF=30\n")
  }

  @Test func aMissingFileIsCreatedFromTheTemplateOnlyWhenSomethingIsSet() throws {
    let root = try FixtureRoot(seed)
    try FileManager.default.removeItem(at: root.url("/etc/ksmtuned.conf"))
    let editor = try KsmtunedConfEditor(root: root.path)
    #expect(!editor.exists)
    #expect(try editor.pendingChanges() == [])
    try editor.set(walkthroughSettings)
    #expect(try editor.save() == ["/etc/ksmtuned.conf"])
    #expect(try root.text("/etc/ksmtuned.conf") == golden("ksmtuned-template-walkthrough.conf"))
    #expect(try KsmtunedConfEditor(root: root.path).exists)
  }

  @Test func aFileThatIsNotShellIsReportedWithItsLine() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", "KSM_NPAGES_MAX=1250\nif then fi (\n")
    let error = editorError { () throws(EditorError) in _ = try KsmtunedConfEditor(root: root.path) }
    #expect(error?.file == "/etc/ksmtuned.conf")
    #expect(error?.line == 2)
  }
}
