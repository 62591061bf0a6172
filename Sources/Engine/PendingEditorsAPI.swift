// TEMPORARY, removed when the editors and facts branches are merged into this one:
// the declared APIs of the editors this engine codes against, so that the engine
// compiles on its own branch. Every function fails; nothing here is real.
import Editors

private func pending() -> EditorError { EditorError(message: "the editors are not merged yet") }

public enum EntrySelection: String, Sendable, Codable { case all, `default` }
public struct KernelArgument: Sendable, Hashable, CustomStringConvertible {
  public var key: String
  public var value: String?
  public init(key: String, value: String?) {
    self.key = key
    self.value = value
  }
  public init(parsing text: String) throws(EditorError) {
    guard !text.isEmpty, !text.contains(" ") else { throw EditorError(message: "not an argument") }
    let parts = text.split(separator: "=", maxSplits: 1)
    key = String(parts[0])
    value = parts.count > 1 ? String(parts[1]) : nil
  }
  public var description: String { value.map { "\(key)=\($0)" } ?? key }
}
public struct KernelArgsRequest: Sendable, Equatable {
  public var entries: EntrySelection
  public var present: [KernelArgument]
  public var absent: [KernelArgument]
  public init(entries: EntrySelection, present: [KernelArgument], absent: [KernelArgument]) {
    self.entries = entries
    self.present = present
    self.absent = absent
  }
}
public enum BootLoaderKind: String, Sendable, Codable {
  case grubLegacy = "grub-legacy"
  case grub2, bls
}
public struct BootEntry: Sendable, Equatable {
  public var title: String
  public var file: String
  public var index: Int
  public var isDefault: Bool
  public var arguments: [KernelArgument]
}
public struct Regeneration: Sendable, Equatable {
  public var command: [String]
  public var outputs: [String]
}
public final class BootLoaderEditor {
  public static func detect(root: String) throws(EditorError) -> BootLoaderKind { throw pending() }
  public init(root: String, kind: BootLoaderKind? = nil) throws(EditorError) { throw pending() }
  public let kind: BootLoaderKind = .grub2
  public var sourceFiles: [String] = []
  public func entries() throws(EditorError) -> [BootEntry] { throw pending() }
  public func ensure(_ request: KernelArgsRequest) throws(EditorError) { throw pending() }
  public func pendingChanges() throws(EditorError) -> [FileChange] { throw pending() }
  public func save() throws(EditorError) -> [String] { throw pending() }
  public func regeneration() -> Regeneration? { nil }
  public func runRegeneration() throws(EditorError) { throw pending() }
}
public enum KsmtunedSetting: String, CaseIterable, Codable {
  case monitorInterval = "KSM_MONITOR_INTERVAL"
  case sleepMsec = "KSM_SLEEP_MSEC"
  case npagesBoost = "KSM_NPAGES_BOOST"
  case npagesDecay = "KSM_NPAGES_DECAY"
  case npagesMin = "KSM_NPAGES_MIN"
  case npagesMax = "KSM_NPAGES_MAX"
  case thresCoef = "KSM_THRES_COEF"
  case thresConst = "KSM_THRES_CONST"
  case logFile = "LOGFILE"
  case debug = "DEBUG"
  public var defaultValue: String? { nil }
}
public struct KsmtunedValue {
  public var inFile: String?
  public var effective: String?
}
public final class KsmtunedConfEditor {
  public static let path = "/etc/ksmtuned.conf"
  public init(root: String) throws(EditorError) { throw pending() }
  public var exists: Bool { false }
  public func values() throws(EditorError) -> [KsmtunedSetting: KsmtunedValue] { throw pending() }
  public func set(_ values: [KsmtunedSetting: String]) throws(EditorError) { throw pending() }
  public func unset(_ settings: [KsmtunedSetting]) throws(EditorError) { throw pending() }
  public func pendingChanges() throws(EditorError) -> [FileChange] { throw pending() }
  public func save() throws(EditorError) -> [String] { throw pending() }
}
public final class SysctlEditor {
  public static let defaultFile = "/etc/sysctl.conf"
  public init(root: String, file: String = defaultFile) throws(EditorError) { throw pending() }
  public func persistentValue(_ key: String) throws(EditorError) -> String? { throw pending() }
  public func liveValue(_ key: String) -> String? { nil }
  public func set(_ key: String, _ value: String) throws(EditorError) { throw pending() }
  public func pendingChanges() throws(EditorError) -> [FileChange] { throw pending() }
  public func save() throws(EditorError) -> [String] { throw pending() }
}
public enum InitSystem: String, Codable {
  case sysv, systemd
  public static func detect(root: String) throws(EditorError) -> InitSystem { throw pending() }
}
public struct LinkChange: Sendable, Equatable, Codable {
  public enum Kind: String, Sendable, Codable { case create, remove }
  public var kind: Kind
  public var path: String
  public var target: String
}
public struct ServiceState {
  public var name: String
  public var exists: Bool
  public var enabled: Bool
  public var masked: Bool
  public var detail: String
}
public final class ServiceEditor {
  public init(root: String, initSystem: InitSystem? = nil) throws(EditorError) { throw pending() }
  public let initSystem: InitSystem = .sysv
  public func state(_ name: String) throws(EditorError) -> ServiceState { throw pending() }
  public func enablementChanges(_ name: String, enabled: Bool) throws(EditorError) -> [LinkChange] { throw pending() }
  public func apply(_ changes: [LinkChange]) throws(EditorError) { throw pending() }
  public func isRunning(_ name: String) throws(EditorError) -> Bool? { throw pending() }
  public func start(_ name: String) throws(EditorError) { throw pending() }
  public func stop(_ name: String) throws(EditorError) { throw pending() }
}
public enum DaemonFiles {
  public static let binaryPath = "/usr/local/sbin/virthost-ksmtuned"
  public static func systemdUnit(binaryPath: String) throws -> String { throw pending() }
  public static func sysvInitScript(binaryPath: String) throws -> String { throw pending() }
}

extension HostProfile {
  /// TEMPORARY until HostFacts is merged.
  public static func read(root: String) -> HostProfile {
    HostProfile(
      vendor: .unknown, hardwareVirtualization: false, numaNodes: 1, kernelConfig: nil, runningCommandLine: nil)
  }
}
