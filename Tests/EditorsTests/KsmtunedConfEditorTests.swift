import Editors
import Foundation
import KSMConfig
import TestSupport
import Testing

@Suite struct KsmtunedConfEditorTests {
  @Test func readsTheStockFileAsSilentWithKsmtunedDefaultsEffective() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: try root.root)
    let values = try editor.values()
    #expect(editor.exists)
    #expect(values[.npagesMax] == KsmtunedValue(inFile: nil, effective: "1250"))
    #expect(values[.npagesDecay] == KsmtunedValue(inFile: nil, effective: "-50"))
    #expect(values[.logFile] == KsmtunedValue(inFile: nil, effective: nil))
    #expect(values.count == 10)
  }

  @Test func walkthroughSettingsLandWhereTheirCommentsStood() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: try root.root)
    try editor.set(walkthroughSettings)
    let expected = try golden("ksmtuned-walkthrough.conf")
    #expect(
      try editor.pendingChanges() == [
        FileChange(path: "/etc/ksmtuned.conf", before: try root.text("/etc/ksmtuned.conf"), after: expected)
      ])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/ksmtuned.conf") == expected)
    let values = try KsmtunedConfEditor(root: try root.root).values()
    for (setting, value) in walkthroughSettings {
      #expect(values[setting] == KsmtunedValue(inFile: value, effective: value))
    }
  }

  @Test func aFileAlreadyHoldingTheValuesIsNotWritten() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", try golden("ksmtuned-walkthrough.conf"))
    let before = try root.snapshot()
    let editor = try KsmtunedConfEditor(root: try root.root)
    try editor.set(walkthroughSettings)
    #expect(try editor.pendingChanges() == [])
    #expect(editor.changedFiles() == [])
    #expect(try root.snapshot() == before)
  }

  @Test func settingTwiceGivesTheSameTreeAsOnce() throws {
    let once = try FixtureRoot(seed)
    let twice = try FixtureRoot(seed)
    let changes: [KsmtunedSetting: String] = [.npagesMax: "3000", .logFile: "/var/log/ksmtuned", .debug: "1"]
    try {
      let e = try KsmtunedConfEditor(root: try once.root)
      try e.set(changes)
      try once.apply(try e.pendingChanges())
    }()
    for _ in 0..<2 {
      let editor = try KsmtunedConfEditor(root: try twice.root)
      try editor.set(changes)
      try twice.apply(try editor.pendingChanges())
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
    let editor = try KsmtunedConfEditor(root: try root.root)
    let error = editorError { () throws(EditorError) in try editor.set([.npagesMax: "2000", .logFile: value]) }
    #expect(
      error?.description
        == "/etc/ksmtuned.conf: LOGFILE must not contain \(what), which the shell that sources "
        + "/etc/ksmtuned.conf would interpret")
    #expect(try editor.pendingChanges() == [])
    #expect(editor.changedFiles() == [])
    #expect(try root.snapshot() == before)
  }

  @Test func minimumAboveMaximumIsRefusedCountingTheFilesValues() throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: try root.root)
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
    let editor = try KsmtunedConfEditor(root: try root.root)
    let cases: [(KsmtunedSetting, String, String)] = [
      (.npagesMax, "lots", "KSM_NPAGES_MAX must be a whole number, not \"lots\""),
      (
        .sleepMsec, "010",
        "KSM_SLEEP_MSEC must be written without leading zeros (the shell reads them as octal), not \"010\""
      ),
      (.thresConst, "+5", "KSM_THRES_CONST must be a whole number, not \"+5\""),
      (.thresCoef, "101", "KSM_THRES_COEF must be at most 100, not 101"),
      (.thresCoef, "-1", "KSM_THRES_COEF must be at least 0, not -1"),
      (.monitorInterval, "0", "KSM_MONITOR_INTERVAL must be at least 1, not 0"),
      (.logFile, "var/log/ksmtuned", "LOGFILE must be an absolute path, not \"var/log/ksmtuned\""),
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
    let editor = try KsmtunedConfEditor(root: try root.root)
    try editor.set([.logFile: "/var/log/ksm tuned.log"])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/ksmtuned.conf").contains("\n\nLOGFILE='/var/log/ksm tuned.log'\n# DEBUG=1\n"))
    #expect(try KsmtunedConfEditor(root: try root.root).values()[.logFile]?.inFile == "/var/log/ksm tuned.log")
  }

  @Test func unsetPutsBackTheCommentedDefaultAndTheDefaultApplies() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", try golden("ksmtuned-walkthrough.conf"))
    let editor = try KsmtunedConfEditor(root: try root.root)
    try editor.unset([.npagesBoost, .debug])
    try root.apply(try editor.pendingChanges())
    let text = try root.text("/etc/ksmtuned.conf")
    #expect(text.contains("\n\n# KSM_NPAGES_BOOST=300\nKSM_NPAGES_DECAY=-50\n"))
    #expect(
      try KsmtunedConfEditor(root: try root.root).values()[.npagesBoost] == KsmtunedValue(inFile: nil, effective: "300")
    )
  }

  @Test func setThenUnsetGivesBackTheStockFile() throws {
    let root = try FixtureRoot(seed)
    let before = try root.snapshot()
    let editor = try KsmtunedConfEditor(root: try root.root)
    try editor.set(walkthroughSettings.merging([.logFile: "/var/log/ksm tuned", .debug: "1"]) { $1 })
    try root.apply(try editor.pendingChanges())
    try root.write("/etc/ksmtuned.conf", try root.text("/etc/ksmtuned.conf") + "export DEBUG=yes\n")
    let again = try KsmtunedConfEditor(root: try root.root)
    try again.unset(KsmtunedSetting.allCases)
    try root.apply(try again.pendingChanges())
    #expect(try root.snapshot() == before)
  }

  @Test func aSettingWithoutCommentIsAddedAtTheEnd() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", "# tuned by hand\nKSM_NPAGES_MAX=2000\n")
    let editor = try KsmtunedConfEditor(root: try root.root)
    try editor.set([.npagesMax: "2500", .thresCoef: "30"])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/ksmtuned.conf") == "# tuned by hand\nKSM_NPAGES_MAX=2500\nKSM_THRES_COEF=30\n")
  }

  @Test func aMissingFileIsCreatedFromTheTemplateOnlyWhenSomethingIsSet() throws {
    let root = try FixtureRoot(seed)
    try FileManager.default.removeItem(at: root.url("/etc/ksmtuned.conf"))
    let editor = try KsmtunedConfEditor(root: try root.root)
    #expect(!editor.exists)
    #expect(try editor.pendingChanges() == [])
    try editor.set(walkthroughSettings)
    let expected = try golden("ksmtuned-template-walkthrough.conf")
    #expect(try editor.pendingChanges() == [FileChange(path: "/etc/ksmtuned.conf", before: nil, after: expected)])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/ksmtuned.conf") == expected)
    #expect(try KsmtunedConfEditor(root: try root.root).exists)
  }

  @Test func aFileThatIsNotShellIsReportedWithItsLine() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/ksmtuned.conf", "KSM_NPAGES_MAX=1250\nif then fi (\n")
    let host = try root.root
    let error = editorError { () throws(EditorError) in _ = try KsmtunedConfEditor(root: host) }
    #expect(error?.file == "/etc/ksmtuned.conf")
    #expect(error?.line == 2)
  }
}
