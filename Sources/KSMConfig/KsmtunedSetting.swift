/// One of the ten variables `/etc/ksmtuned.conf` sets for ksmtuned: its name, ksmtuned's
/// default and the rule its value must follow.
///
/// The one place these are known: the editor, the desired-state parser and the bundled
/// tuner all read them here. The raw value is the shell variable's name. Not for other
/// shell variables: the editor leaves everything else in the file alone.
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

  /// The number ksmtuned uses when the file is silent; `nil` for `LOGFILE` and `DEBUG`,
  /// which ksmtuned leaves unset.
  public var defaultNumber: Int? {
    switch self {
    case .monitorInterval: 60
    case .sleepMsec: 10
    case .npagesBoost: 300
    case .npagesDecay: -50
    case .npagesMin: 64
    case .npagesMax: 1250
    case .thresCoef: 20
    case .thresConst: 2048
    case .logFile, .debug: nil
    }
  }

  /// ``defaultNumber`` as the file writes it (`"1250"`); `nil` for `LOGFILE` and `DEBUG`.
  public var defaultValue: String? { defaultNumber.map { String($0) } }

  /// Whether ksmtuned does shell arithmetic with the value, so that it must be an integer.
  public var isInteger: Bool { defaultNumber != nil }

  /// The smallest value accepted, for integer settings.
  public var minimum: Int? {
    switch self {
    case .monitorInterval: 1
    case .sleepMsec, .npagesBoost, .npagesMin, .npagesMax, .thresCoef, .thresConst: 0
    case .npagesDecay, .logFile, .debug: nil
    }
  }

  /// The largest value accepted, for integer settings.
  public var maximum: Int? { self == .thresCoef ? 100 : nil }

  /// The value of the commented line ksmtuned ships for the setting (`# LOGFILE=/var/log/ksmtuned`).
  public var shippedValue: String {
    switch self {
    case .logFile: "/var/log/ksmtuned"
    case .debug: "1"
    default: defaultValue ?? ""
    }
  }

  /// Why `value` cannot be written for this setting, or `nil` when it can: the one rule
  /// set of the desired state and the editor.
  ///
  /// Integer settings take a decimal integer without sign `+` or leading zeros (the
  /// shell's arithmetic reads `010` as octal) within ``minimum`` and ``maximum``; `LOGFILE`
  /// is an absolute path; no value is empty or holds anything the shell that sources the
  /// file would expand or run. `KSM_NPAGES_MIN` against `KSM_NPAGES_MAX` needs the file's
  /// values too: ``KsmtunedValueProblem/minimumAboveMaximum(_:_:)``.
  public func problem(with value: String) -> KsmtunedValueProblem? {
    if value.isEmpty { return .empty }
    if isInteger {
      guard let number = Int(value) else { return .notInteger(value) }
      guard value == String(number) else {
        let digits = value.hasPrefix("-") ? value.dropFirst() : value[...]
        return digits.count > 1 && digits.hasPrefix("0") ? .leadingZero(value) : .notInteger(value)
      }
      if let minimum, number < minimum { return .belowMinimum(minimum, number) }
      if let maximum, number > maximum { return .aboveMaximum(maximum, number) }
      return nil
    }
    if let syntax = ShellSyntax.first(in: value) { return .shellSyntax(syntax) }
    if self == .logFile, !value.hasPrefix("/") { return .notAbsolute(value) }
    return nil
  }
}
