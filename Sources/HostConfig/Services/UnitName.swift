/// A service name as the spec or a unit file gives it, in systemd's canonical form:
/// `ksm` and `ksm.service` are one unit; `getty@tty2` is an instance of `getty@.service`.
public struct UnitName: Sendable, Hashable {
  /// The canonical unit name: `ksm.service`, `getty@tty2.service`, `virtlockd.socket`.
  public let unit: String

  /// The canonical form of `name` (`.service` added when it has no unit suffix).
  public init(_ name: String) {
    unit = SystemdServices.unitSuffixes.contains(where: name.hasSuffix) ? name : name + ".service"
  }

  /// The unit name without its suffix (`ksm`, `getty@tty2`): the SysV script of the same service.
  public var base: String {
    guard let dot = unit.lastIndex(of: ".") else { return unit }
    return String(unit[..<dot])
  }

  /// The suffix, dot included (`.service`).
  public var suffix: String {
    guard let dot = unit.lastIndex(of: ".") else { return "" }
    return String(unit[dot...])
  }

  /// `getty@.service` for `getty@tty2.service` or `getty@.service`; `nil` without `@`.
  public var template: String? {
    guard let at = base.firstIndex(of: "@") else { return nil }
    return String(base[...at]) + suffix
  }

  /// Whether it is a template without instance (`getty@.service`).
  public var isBareTemplate: Bool { base.hasSuffix("@") }

  /// The instance `instance` of this template: `getty@tty1.service`.
  public func instance(_ instance: String) -> String {
    guard let template else { return unit }
    return String(template.dropLast(suffix.count)) + instance + suffix
  }

  /// The name two spec keys are compared by, whatever the init system: `ksm` for `ksm` and `ksm.service`.
  public var key: String { suffix == ".service" ? base : unit }
}
