import Augeas
import Foundation
import KSMConfig
import RootFS
import TestSupport
import Testing

@testable import KSMTuner

@Suite struct KSMSettingsTests {
  @Test func theSeedsShippedFileMeansKsmtunedsDefaults() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let (settings, problems) = try KSMSettings.read(root: try HostRoot(root.path))
    #expect(settings == KSMSettings())
    #expect(problems.isEmpty)
    #expect(settings.monitorInterval == 60 && settings.sleepMsec == 10 && settings.npagesBoost == 300)
    #expect(settings.npagesDecay == -50 && settings.npagesMin == 64 && settings.npagesMax == 1250)
    #expect(settings.thresCoef == 20 && settings.thresConst == 2048 && settings.logFile == nil && !settings.debug)
  }

  @Test func readsEveryValueAsTheShellWouldAndReportsThoseThatAreNotNumbers() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try root.write(
      "/etc/ksmtuned.conf",
      """
      # Configuration file for ksmtuned.
      KSM_MONITOR_INTERVAL="30"
      KSM_SLEEP_MSEC=20 # faster
      KSM_NPAGES_BOOST=lots
      KSM_NPAGES_DECAY=-100
      KSM_NPAGES_MIN=
      KSM_NPAGES_MAX=2000
      KSM_NPAGES_MAX=3000
      KSM_THRES_COEF=0x10
      export KSM_THRES_CONST='4096'
      LOGFILE=/var/log/ksmtuned
      DEBUG=1

      """)
    let (settings, problems) = try KSMSettings.read(root: try HostRoot(root.path))
    var expected = KSMSettings()
    expected.monitorInterval = 30
    expected.sleepMsec = 20
    expected.npagesDecay = -100
    expected.npagesMax = 3000
    expected.thresConst = 4096
    expected.logFile = "/var/log/ksmtuned"
    expected.debug = true
    #expect(settings == expected)
    #expect(
      problems == [
        "\(root.path)/etc/ksmtuned.conf: KSM_NPAGES_BOOST=lots is not a number; using the default 300",
        "\(root.path)/etc/ksmtuned.conf: KSM_THRES_COEF=0x10 is not a number; using the default 20",
      ])
  }

  @Test func aMonitorIntervalBelowOneSecondKeepsTheDefault() {
    var problems: [String] = []
    let settings = KSMSettings(assignments: ["KSM_MONITOR_INTERVAL": "0", "DEBUG": "0"], problems: &problems)
    #expect(settings.monitorInterval == 60)
    #expect(settings.debug, "as in ksmtuned, any non-empty DEBUG turns debugging on")
    #expect(problems == ["KSM_MONITOR_INTERVAL=0 is not a positive number of seconds; using the default 60"])
  }

  @Test func aMissingFileMeansTheDefaults() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try FileManager.default.removeItem(atPath: root.path + "/etc/ksmtuned.conf")
    let (settings, problems) = try KSMSettings.read(root: try HostRoot(root.path))
    #expect(settings == KSMSettings())
    #expect(problems.isEmpty)
  }

  @Test func aFileThatIsNotShellIsAnErrorWithItsLineAndCharacter() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try root.write("/etc/ksmtuned.conf", "KSM_SLEEP_MSEC=10\nKSM_NPAGES_MAX=\"12\n")
    let host = try HostRoot(root.path)
    let error = #expect(throws: KSMSettings.ReadError.self) { try KSMSettings.read(root: host) }
    guard case .unparsable(let problem) = error else {
      Issue.record("not a parse error: \(String(describing: error))")
      return
    }
    #expect(problem.file?.file == "/etc/ksmtuned.conf")
    #expect(problem.file?.line == 2)
    #expect(problem.file?.character == 14)
    #expect(problem.file?.message == "Syntax error")
  }
}

@Suite struct KSMSettingsDefaultsTests {
  @Test func theDaemonsDefaultsAreTheOnesKSMConfigHolds() {
    let settings = KSMSettings()
    for (setting, keyPath) in KSMSettings.numeric {
      #expect(settings[keyPath: keyPath] == setting.defaultNumber, "\(setting.rawValue)")
    }
    #expect(KSMSettings.numeric.map(\.setting) == KsmtunedSetting.allCases.filter(\.isInteger))
  }
}
