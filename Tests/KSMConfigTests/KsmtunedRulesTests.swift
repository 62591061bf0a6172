import Foundation
import KSMConfig
import TestSupport
import Testing

/// The one rule set of ksmtuned.conf values, as the spec parser, the editor and the tuner
/// read it: each refusal in its exact words, and quoting that bash (which sources the
/// file) reads back unchanged.
@Suite struct KsmtunedRulesTests {
  @Test(
    arguments: [
      (KsmtunedSetting.monitorInterval, "60", nil),
      (.monitorInterval, "0", "must be at least 1, not 0"),
      (.npagesDecay, "-50", nil),
      (.npagesBoost, "+5", "must be a whole number, not \"+5\""),
      (.npagesBoost, "010", "must be written without leading zeros (the shell reads them as octal), not \"010\""),
      (.npagesDecay, "-010", "must be written without leading zeros (the shell reads them as octal), not \"-010\""),
      (.thresCoef, "101", "must be at most 100, not 101"),
      (.thresConst, "99999999999999999999999", "must be a whole number, not \"99999999999999999999999\""),
      (.sleepMsec, "", "cannot be empty; unset it instead"),
      (.logFile, "var/log/ksmtuned", "must be an absolute path, not \"var/log/ksmtuned\""),
      (.logFile, "/var/log/ksm tuned", nil),
      (
        .logFile, "/var/log/$(reboot)",
        "must not contain command substitution $(...), which the shell that sources /etc/ksmtuned.conf would interpret"
      ),
      (.debug, "1", nil),
    ] as [(KsmtunedSetting, String, String?)])
  func eachValueIsAcceptedOrRefusedInItsExactWords(_ setting: KsmtunedSetting, _ value: String, _ problem: String?) {
    #expect(setting.problem(with: value)?.description == problem, "\(setting.rawValue)=\(value)")
  }

  @Test func theDefaultsAreKsmtunedsOwn() {
    #expect(
      KsmtunedSetting.allCases.map { $0.defaultValue ?? "-" } == [
        "60", "10", "300", "-50", "64", "1250", "20", "2048", "-", "-",
      ])
  }

  /// bash, the shell that sources the file, is the oracle of the quoting.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
  func bashReadsEveryQuotedValueBackUnchanged() throws {
    let values = ["/var/log/ksmtuned", "/var/log/ksm tuned", "/var/log/a,b=c@d%e", "1", "-50", "/x/it's"]
    for value in values where KsmtunedSetting.logFile.problem(with: value) == nil {
      let line = "LOGFILE=" + KsmtunedConf.quoted(value)
      let run = try ProgramRun.run("/bin/bash", ["-c", line + "\nprintf %s \"$LOGFILE\""])
      #expect(run.status == 0 && run.output == value, "\(line): \(run.transcript)")
      #expect(KsmtunedConf.unquoted(String(line.dropFirst("LOGFILE=".count))) == value)
    }
  }
}
