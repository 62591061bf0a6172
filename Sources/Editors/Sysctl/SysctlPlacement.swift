import HostConfig

/// Where ``SysctlEditor/set(_:_:)`` put one setting, and why: what a plan shows.
public struct SysctlPlacement: Sendable, Equatable {
  /// The key as the spec names it.
  public var key: String
  /// The value asked for.
  public var value: String
  /// What gave the key its boot value before, `nil` when nothing did.
  public var before: SysctlSetting?
  /// The file written (the file itself, links resolved), `nil` when the value persisted already.
  public var file: String?
  /// virthost's earlier file the key was taken out of, because a file read after it sets the key.
  public var removedFrom: String?
  /// Why the setting goes where it goes, when that is not the file that set it before: names
  /// the file that would otherwise win. `nil` for an edit in place or a value that persisted.
  public var detail: String?
}
