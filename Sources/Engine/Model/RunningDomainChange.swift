/// One setting of a running libvirt domain changed in the running guest, apart from its
/// definition (``DomainDefinitionChange``): a vCPU's pin (`virDomainPinVcpuFlags`), the
/// emulator's pin (`virDomainPinEmulator`) or the balloon (`virDomainSetMemoryFlags`), each
/// with the live flag. Its own step of the plan and the apply.
public struct RunningDomainChange: Sendable, Equatable, Codable {
  /// What is changed.
  public enum Setting: Sendable, Equatable, Hashable, Codable {
    /// The host CPUs vCPU `n` may run on.
    case vcpuPin(Int)
    /// The host CPUs the emulator threads may run on.
    case emulatorPin
    /// The balloon's target (the guest's current memory), in KiB.
    case balloon
  }

  /// The domain.
  public var domain: String
  /// libvirt's URI (`qemu:///system`).
  public var uri: String
  /// What is changed.
  public var setting: Setting
  /// The running guest's value now: a CPU list (`0-7`) for a pin, KiB for the balloon.
  public var before: String
  /// The value set: a CPU list (`1`) for a pin, KiB for the balloon.
  public var after: String

  /// Creates a change.
  public init(domain: String, uri: String, setting: Setting, before: String, after: String) {
    self.domain = domain
    self.uri = uri
    self.setting = setting
    self.before = before
    self.after = after
  }

  /// The change that puts the value back.
  public var reversed: RunningDomainChange {
    RunningDomainChange(domain: domain, uri: uri, setting: setting, before: after, after: before)
  }

  /// `pin vCPU 0 of tiny to CPU 1` in the apply's words.
  public var words: String {
    switch setting {
    case .vcpuPin(let vcpu): "pin vCPU \(vcpu) of running domain \(domain) to CPUs \(after) (was \(before))"
    case .emulatorPin: "pin the emulator of running domain \(domain) to CPUs \(after) (was \(before))"
    case .balloon: "set the balloon of running domain \(domain) to \(after) KiB (was \(before) KiB)"
    }
  }
}
