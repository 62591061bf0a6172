/// What one tuning cycle does to KSM.
public enum KSMAction: Equatable, Sendable {
  /// Write `0` to `run`.
  case stop
  /// Write `pagesToScan` to `pages_to_scan`, `sleepMillisecs` to `sleep_millisecs`, then `1` to `run`.
  case start(pagesToScan: Int, sleepMillisecs: Int)

  /// The sysfs writes of the action, in ksmtuned's order: file name under
  /// `/sys/kernel/mm/ksm` and the value written.
  public var writes: [(file: String, value: Int)] {
    switch self {
    case .stop: [("run", 0)]
    case .start(let pages, let sleep): [("pages_to_scan", pages), ("sleep_millisecs", sleep), ("run", 1)]
    }
  }
}

/// The outcome of one tuning cycle: the action, the new `npages` and the debug
/// messages ksmtuned logs for it (without the date).
public struct KSMDecision: Equatable, Sendable {
  /// What to do to KSM.
  public var action: KSMAction
  /// The `npages` to carry into the next cycle (unchanged by a stop).
  public var npages: Int
  /// The debug lines' messages, in order, exactly as ksmtuned words them.
  public var messages: [String]

  /// Creates a decision; ``KSMTuning/decide(committed:free:npages:)`` is the one producer.
  public init(action: KSMAction, npages: Int, messages: [String]) {
    self.action = action
    self.npages = npages
    self.messages = messages
  }
}

/// The values ksmtuned derives once from the host's total memory and the
/// settings, and the decision it takes each cycle: a pure function, no I/O.
///
/// The arithmetic is the shell's: 64-bit, wrapping on overflow, division
/// truncating toward zero.
public struct KSMTuning: Equatable, Sendable {
  /// `MemTotal` in kB.
  public let total: Int
  /// KSM's `sleep_millisecs`: `KSM_SLEEP_MSEC × 16 × 1024 × 1024 / total`, at least 10.
  public let sleep: Int
  /// The threshold in kB: `total × KSM_THRES_COEF / 100`, at least `KSM_THRES_CONST`.
  public let thres: Int
  /// The settings the values were derived from.
  public let settings: KSMSettings

  /// Derives `sleep` and `thres` from `total` (kB, greater than 0) as ksmtuned does at start.
  public init(total: Int, settings: KSMSettings) {
    precondition(total > 0, "MemTotal must be positive")
    self.total = total
    self.settings = settings
    var sleep = settings.sleepMsec &* 16 &* 1024 &* 1024 / total
    if sleep <= 10 { sleep = 10 }
    self.sleep = sleep
    var thres = total &* settings.thresCoef / 100
    if settings.thresConst > thres { thres = settings.thresConst }
    self.thres = thres
  }

  /// The messages ksmtuned logs at start: `total …`, `sleep …`, `thres …`.
  public var startMessages: [String] {
    ["total \(total)", "sleep \(sleep)", "thres \(thres)"]
  }

  /// ksmtuned's `adjust`: with `committed` kB resident in KVM guests and `free`
  /// kB free (MemFree + Buffers + Cached), stops KSM when the guests plus the
  /// threshold fit in the total and free memory exceeds the threshold;
  /// otherwise starts it, adding the boost to `npages` when free memory is
  /// below the threshold and the decay otherwise, clamped to MIN…MAX.
  public func decide(committed: Int, free: Int, npages: Int) -> KSMDecision {
    var messages = ["committed \(committed) free \(free)"]
    let needed = committed &+ thres
    if needed < total && free > thres {
      messages.append("\(needed) < \(total) and free > \(thres), stop ksm")
      return KSMDecision(action: .stop, npages: npages, messages: messages)
    }
    messages.append("\(needed) > \(total), start ksm")
    var next: Int
    if free < thres {
      next = npages &+ settings.npagesBoost
      messages.append("\(free) < \(thres), boost")
    } else {
      next = npages &+ settings.npagesDecay
      messages.append("\(free) > \(thres), decay")
    }
    if next < settings.npagesMin {
      next = settings.npagesMin
    } else if next > settings.npagesMax {
      next = settings.npagesMax
    }
    messages.append("KSMCTL start \(next) \(sleep)")
    return KSMDecision(action: .start(pagesToScan: next, sleepMillisecs: sleep), npages: next, messages: messages)
  }
}
