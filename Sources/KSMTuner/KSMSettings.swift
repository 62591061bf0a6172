import HostProcesses
import KSMConfig

/// The settings of `/etc/ksmtuned.conf`, with ksmtuned's defaults.
///
/// The names and meanings are ksmtuned's, so an admin's existing file means the
/// same thing to `virthost-ksmtuned`. This is a plain value: reading the file is
/// ``KSMSettings/read(root:)``, interpreting its assignments is
/// ``KSMSettings/init(assignments:problems:)``.
public struct KSMSettings: Equatable, Sendable {
  /// `KSM_MONITOR_INTERVAL`: seconds between two tuning cycles (default 60).
  public var monitorInterval = KsmtunedSetting.monitorInterval.defaultNumber!
  /// `KSM_SLEEP_MSEC`: KSM's sleep between scans on a 16 GB host, in ms (default 10).
  public var sleepMsec = KsmtunedSetting.sleepMsec.defaultNumber!
  /// `KSM_NPAGES_BOOST`: pages added to `pages_to_scan` while free memory is short (default 300).
  public var npagesBoost = KsmtunedSetting.npagesBoost.defaultNumber!
  /// `KSM_NPAGES_DECAY`: pages added (negative) while free memory is enough (default -50).
  public var npagesDecay = KsmtunedSetting.npagesDecay.defaultNumber!
  /// `KSM_NPAGES_MIN`: the least `pages_to_scan` written (default 64).
  public var npagesMin = KsmtunedSetting.npagesMin.defaultNumber!
  /// `KSM_NPAGES_MAX`: the most `pages_to_scan` written (default 1250).
  public var npagesMax = KsmtunedSetting.npagesMax.defaultNumber!
  /// `KSM_THRES_COEF`: the threshold as a percentage of the total memory (default 20).
  public var thresCoef = KsmtunedSetting.thresCoef.defaultNumber!
  /// `KSM_THRES_CONST`: the least threshold, in kB (default 2048).
  public var thresConst = KsmtunedSetting.thresConst.defaultNumber!
  /// `LOGFILE`: where debug lines go (a host path, under the root); `nil` means stdout.
  public var logFile: String? = nil
  /// `DEBUG`: whether debug lines are written. As in ksmtuned, any non-empty value turns it on.
  public var debug: Bool = false

  /// ksmtuned's defaults.
  public init() {}

  /// The numeric settings, with a way to set each.
  static var numeric: [(setting: KsmtunedSetting, keyPath: WritableKeyPath<KSMSettings, Int>)] {
    [
      (.monitorInterval, \.monitorInterval),
      (.sleepMsec, \.sleepMsec),
      (.npagesBoost, \.npagesBoost),
      (.npagesDecay, \.npagesDecay),
      (.npagesMin, \.npagesMin),
      (.npagesMax, \.npagesMax),
      (.thresCoef, \.thresCoef),
      (.thresConst, \.thresConst),
    ]
  }

  /// Interprets the shell assignments of the file (name → value as written,
  /// quotes included), as ksmtuned's `${NAME:-default}` does.
  ///
  /// A missing or empty value means the default, silently. A numeric value that
  /// is not an optionally signed decimal integer (and a `KSM_MONITOR_INTERVAL`
  /// below 1) keeps the default and adds one sentence to `problems`. One level of
  /// matching single or double quotes is removed first, as the shell would.
  public init(assignments: [String: String], problems: inout [String]) {
    self.init()
    for (setting, keyPath) in Self.numeric {
      let name = setting.rawValue
      guard let raw = assignments[name] else { continue }
      let value = KsmtunedConf.unquoted(raw)
      if value.isEmpty { continue }
      let defaultValue = self[keyPath: keyPath]
      guard let number = Self.integer(value) else {
        problems.append("\(name)=\(raw) is not a number; using the default \(defaultValue)")
        continue
      }
      if keyPath == \KSMSettings.monitorInterval && number < 1 {
        problems.append("\(name)=\(raw) is not a positive number of seconds; using the default \(defaultValue)")
        continue
      }
      self[keyPath: keyPath] = number
    }
    if let raw = assignments[KsmtunedSetting.logFile.rawValue] {
      let value = KsmtunedConf.unquoted(raw)
      logFile = value.isEmpty ? nil : value
    }
    debug = KsmtunedSetting.isDebugging(assignments[KsmtunedSetting.debug.rawValue])
  }

  /// The value of `text` when it is an optionally signed decimal integer that fits an `Int`.
  static func integer(_ text: String) -> Int? {
    Int(decimal: text.utf8)
  }
}
