/// One of the ten variables `/etc/ksmtuned.conf` sets for ksmtuned.
///
/// The raw value is the shell variable's name. Not for other shell variables:
/// the editor leaves everything else in the file alone.
public enum KsmtunedSetting: String, Sendable, CaseIterable, Codable {
  /// Seconds ksmtuned sleeps between two adjustments.
  case monitorInterval = "KSM_MONITOR_INTERVAL"
  /// Milliseconds ksmd sleeps between scans, for a 16 GB host (scaled by memory).
  case sleepMsec = "KSM_SLEEP_MSEC"
  /// Pages added to `pages_to_scan` when memory is short.
  case npagesBoost = "KSM_NPAGES_BOOST"
  /// Pages added (usually negative) to `pages_to_scan` when memory is plentiful.
  case npagesDecay = "KSM_NPAGES_DECAY"
  /// The lowest `pages_to_scan`.
  case npagesMin = "KSM_NPAGES_MIN"
  /// The highest `pages_to_scan`.
  case npagesMax = "KSM_NPAGES_MAX"
  /// Percent of total memory below which free memory starts merging.
  case thresCoef = "KSM_THRES_COEF"
  /// Kilobytes of free memory below which merging starts regardless of the percentage.
  case thresConst = "KSM_THRES_CONST"
  /// The file ksmtuned logs to when `DEBUG` is set (an absolute path).
  case logFile = "LOGFILE"
  /// Any non-empty value turns ksmtuned's debug log on.
  case debug = "DEBUG"

  /// The value ksmtuned uses when the file is silent; `nil` for `LOGFILE` and
  /// `DEBUG`, which ksmtuned leaves unset.
  public var defaultValue: String? {
    switch self {
    case .monitorInterval: "60"
    case .sleepMsec: "10"
    case .npagesBoost: "300"
    case .npagesDecay: "-50"
    case .npagesMin: "64"
    case .npagesMax: "1250"
    case .thresCoef: "20"
    case .thresConst: "2048"
    case .logFile, .debug: nil
    }
  }

  /// Whether ksmtuned does shell arithmetic with the value, so that it must be an integer.
  public var isInteger: Bool { defaultValue != nil }

  /// The smallest value accepted, for integer settings.
  var minimum: Int? {
    switch self {
    case .monitorInterval: 1
    case .sleepMsec, .npagesBoost, .npagesMin, .npagesMax, .thresCoef, .thresConst: 0
    case .npagesDecay, .logFile, .debug: nil
    }
  }

  /// The largest value accepted, for integer settings.
  var maximum: Int? { self == .thresCoef ? 100 : nil }
}

/// What the file says about a setting and what ksmtuned will use.
public struct KsmtunedValue: Sendable, Equatable {
  /// The value assigned in the file (the last assignment, quotes removed), or
  /// `nil` when the file is silent (a commented default does not count).
  public var inFile: String?
  /// The value ksmtuned uses: `inFile`, or else its default (`nil` for an unset `LOGFILE` or `DEBUG`).
  public var effective: String?

  /// Creates a value.
  public init(inFile: String?, effective: String?) {
    self.inFile = inFile
    self.effective = effective
  }
}
