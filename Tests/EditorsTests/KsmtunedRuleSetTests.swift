import Editors
import KSMConfig
import TestSupport
import Testing

/// The editor refuses exactly what the one rule set of ``KSMConfig`` refuses (the rule set the
/// desired-state parser applies too), with the setting's name before the rule's words.
@Suite struct KsmtunedRuleSetTests {
  static let values = [
    "60", "0", "1", "-50", "010", "+5", "-0", "101", "100", "1.5", "lots", "", "99999999999999999999999",
    "/var/log/ksmtuned", "var/log/ksmtuned", "/var/log/ksm tuned", "$(reboot)", "/var/log/ksm; reboot", "yes",
  ]

  @Test(arguments: KsmtunedSetting.allCases)
  func theEditorRefusesWhatTheRuleSetRefuses(setting: KsmtunedSetting) throws {
    let root = try FixtureRoot(seed)
    let editor = try KsmtunedConfEditor(root: try root.root)
    for value in Self.values {
      let error = editorError { () throws(EditorError) in try editor.set([setting: value]) }
      let problem = setting.problem(with: value)
      if problem == nil, [.npagesMin, .npagesMax].contains(setting),
        error?.message.hasPrefix("KSM_NPAGES_MIN (") == true
      {
        continue  // beyond the file's other bound: the check that needs the file, not a value rule
      }
      #expect(error?.message == problem.map { "\(setting.rawValue) \($0)" }, "\(setting.rawValue)=\(value)")
    }
  }

  @Test func theDefaultsAreKsmtunedsAndTheShippedFileCommentsThem() {
    let numbers = KsmtunedSetting.allCases.compactMap(\.defaultNumber)
    #expect(numbers == [60, 10, 300, -50, 64, 1250, 20, 2048])
    for setting in KsmtunedSetting.allCases {
      #expect(KsmtunedConf.shippedText.contains("\n# \(setting.rawValue)=\(setting.shippedValue)\n"))
      #expect(setting.problem(with: setting.shippedValue) == nil)
    }
  }
}
