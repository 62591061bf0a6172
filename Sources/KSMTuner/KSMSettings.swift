/// The settings of `/etc/ksmtuned.conf`, with ksmtuned's defaults.
///
/// The names and meanings are ksmtuned's, so an admin's existing file means the
/// same thing to `virthost-ksmtuned`. This is a plain value: reading the file is
/// ``KSMSettings/read(root:)``, interpreting its assignments is
/// ``KSMSettings/init(assignments:problems:)``.
public struct KSMSettings: Equatable, Sendable {
  /// `KSM_MONITOR_INTERVAL`: seconds between two tuning cycles (default 60).
  public var monitorInterval: Int = 60
  /// `KSM_SLEEP_MSEC`: KSM's sleep between scans on a 16 GB host, in ms (default 10).
  public var sleepMsec: Int = 10
  /// `KSM_NPAGES_BOOST`: pages added to `pages_to_scan` while free memory is short (default 300).
  public var npagesBoost: Int = 300
  /// `KSM_NPAGES_DECAY`: pages added (negative) while free memory is enough (default -50).
  public var npagesDecay: Int = -50
  /// `KSM_NPAGES_MIN`: the least `pages_to_scan` written (default 64).
  public var npagesMin: Int = 64
  /// `KSM_NPAGES_MAX`: the most `pages_to_scan` written (default 1250).
  public var npagesMax: Int = 1250
  /// `KSM_THRES_COEF`: the threshold as a percentage of the total memory (default 20).
  public var thresCoef: Int = 20
  /// `KSM_THRES_CONST`: the least threshold, in kB (default 2048).
  public var thresConst: Int = 2048
  /// `LOGFILE`: where debug lines go (a host path, under the root); `nil` means stdout.
  public var logFile: String? = nil
  /// `DEBUG`: whether debug lines are written. As in ksmtuned, any non-empty value turns it on.
  public var debug: Bool = false

  /// ksmtuned's defaults.
  public init() {}

  /// The numeric settings, by their name in the file, with a way to set each.
  static var numeric: [(name: String, keyPath: WritableKeyPath<KSMSettings, Int>)] {
    [
      ("KSM_MONITOR_INTERVAL", \.monitorInterval),
      ("KSM_SLEEP_MSEC", \.sleepMsec),
      ("KSM_NPAGES_BOOST", \.npagesBoost),
      ("KSM_NPAGES_DECAY", \.npagesDecay),
      ("KSM_NPAGES_MIN", \.npagesMin),
      ("KSM_NPAGES_MAX", \.npagesMax),
      ("KSM_THRES_COEF", \.thresCoef),
      ("KSM_THRES_CONST", \.thresConst),
    ]
  }

  /// Every variable name this type reads, numeric ones first.
  public static let names: [String] = [
    "KSM_MONITOR_INTERVAL", "KSM_SLEEP_MSEC", "KSM_NPAGES_BOOST", "KSM_NPAGES_DECAY", "KSM_NPAGES_MIN",
    "KSM_NPAGES_MAX", "KSM_THRES_COEF", "KSM_THRES_CONST", "LOGFILE", "DEBUG",
  ]

  /// Interprets the shell assignments of the file (name → value as written,
  /// quotes included), as ksmtuned's `${NAME:-default}` does.
  ///
  /// A missing or empty value means the default, silently. A numeric value that
  /// is not an optionally signed decimal integer (and a `KSM_MONITOR_INTERVAL`
  /// below 1) keeps the default and adds one sentence to `problems`. One level of
  /// matching single or double quotes is removed first, as the shell would.
  public init(assignments: [String: String], problems: inout [String]) {
    self.init()
    for (name, keyPath) in Self.numeric {
      guard let raw = assignments[name] else { continue }
      let value = Self.unquoted(raw)
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
    if let raw = assignments["LOGFILE"] {
      let value = Self.unquoted(raw)
      logFile = value.isEmpty ? nil : value
    }
    if let raw = assignments["DEBUG"] {
      debug = !Self.unquoted(raw).isEmpty
    }
  }

  /// `text` without one level of matching surrounding quotes.
  static func unquoted(_ text: String) -> String {
    let utf8 = Array(text.utf8)
    if utf8.count >= 2, let first = utf8.first, first == UInt8(ascii: "\"") || first == UInt8(ascii: "'"),
      utf8.last == first
    {
      return String(decoding: utf8[1..<(utf8.count - 1)], as: UTF8.self)
    }
    return text
  }

  /// The value of `text` when it is an optionally signed decimal integer that fits an `Int`.
  static func integer(_ text: String) -> Int? {
    Int(decimal: text.utf8)
  }
}
