/// What a change does to its resource. A change may carry several (a service
/// that is enabled and started); an unchanged resource carries ``noop`` alone.
public enum Action: String, Sendable, Codable, CaseIterable {
  /// Nothing to do: the host already matches.
  case noop = "no-op"
  /// A file or value that does not exist yet.
  case create
  /// A file or value that exists and changes.
  case update
  /// A file removed.
  case delete
  /// A service started at boot from now on.
  case enable
  /// A service no longer started at boot.
  case disable
  /// A service started now (live hosts only).
  case start
  /// A service stopped now (live hosts only).
  case stop
  /// A kernel module loaded now (live hosts only).
  case load

  /// The symbol shown before the resource in a plan: `+` adds, `-` removes, `~` changes.
  public var symbol: String {
    switch self {
    case .noop: " "
    case .create, .enable, .start, .load: "+"
    case .delete, .disable, .stop: "-"
    case .update: "~"
    }
  }

  /// The words of the summary line: `Plan: 3 to change, 2 to enable.`.
  public var summaryVerb: String {
    switch self {
    case .noop: "unchanged"
    case .update: "change"
    default: rawValue
    }
  }

  /// The past participle used in "will be …": `created`, `enabled`.
  public var participle: String {
    switch self {
    case .noop: "left unchanged"
    case .create: "created"
    case .update: "updated"
    case .delete: "deleted"
    case .enable: "enabled"
    case .disable: "disabled"
    case .start: "started"
    case .stop: "stopped"
    case .load: "loaded"
    }
  }
}
