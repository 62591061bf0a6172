/// Which definition a change affects (`virDomainModificationImpact`).
public struct LibvirtImpact: OptionSet, Sendable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }
  /// `VIR_DOMAIN_AFFECT_CURRENT` (no flag): the live instance of a running domain, else the
  /// persistent definition. The only value libvirt's test driver accepts.
  public static let current: LibvirtImpact = []
  /// `VIR_DOMAIN_AFFECT_LIVE`: the running instance only.
  public static let live = LibvirtImpact(rawValue: LibvirtABI.affectLive)
  /// `VIR_DOMAIN_AFFECT_CONFIG`: the persistent definition only.
  public static let config = LibvirtImpact(rawValue: LibvirtABI.affectConfig)
}

extension LibvirtDomain {
  /// Each vCPU's allowed host CPUs, indexed by vCPU number.
  ///
  /// The corresponding libvirt functions are `virDomainGetVcpusFlags` (with
  /// `VIR_DOMAIN_VCPU_MAXIMUM`, how many maps to ask for), `virNodeGetCPUMap` (their length)
  /// and `virDomainGetVcpuPinInfo`.
  public func vcpuPins(_ impact: LibvirtImpact = .current) throws(LibvirtError) -> [CPUSet] {
    let capacity = try connection.onlineCPUs().capacity
    return try withHandle { (handle) throws(LibvirtError) -> [CPUSet] in
      let maximum = library.domainGetVcpusFlags(handle, impact.rawValue | LibvirtABI.vcpuMaximum)
      if maximum < 0 { throw library.lastError("virDomainGetVcpusFlags", subject: name) }
      let length = CPUSet.mapLength(capacity)
      var maps = [UInt8](repeating: 0, count: Int(maximum) * length)
      let count = library.domainGetVcpuPinInfo(handle, maximum, &maps, Int32(length), impact.rawValue)
      if count < 0 { throw library.lastError("virDomainGetVcpuPinInfo", subject: name) }
      return maps.withUnsafeBufferPointer { buffer in
        (0..<Int(count)).map { vcpu in
          CPUSet(map: UnsafeBufferPointer(rebasing: buffer[vcpu * length..<(vcpu + 1) * length]), capacity: capacity)
        }
      }
    }
  }

  /// Pins vCPU `vcpu` to `cpus`.
  ///
  /// The corresponding libvirt function is `virDomainPinVcpuFlags`.
  /// - Throws: `.invalidArgument` for a vCPU the domain does not have or flags the driver
  ///   refuses; `.operationInvalid` for a live change of a domain that is not running.
  public func pinVcpu(_ vcpu: Int, to cpus: CPUSet, _ impact: LibvirtImpact = .current) throws(LibvirtError) {
    try withHandle { (handle) throws(LibvirtError) in
      var map = cpus.map
      if library.domainPinVcpuFlags(handle, UInt32(vcpu), &map, Int32(map.count), impact.rawValue) < 0 {
        throw library.lastError("virDomainPinVcpuFlags", subject: "\(name) vcpu \(vcpu)")
      }
    }
  }

  /// The host CPUs the emulator threads may run on.
  ///
  /// The corresponding libvirt function is `virDomainGetEmulatorPinInfo`.
  public func emulatorPin(_ impact: LibvirtImpact = .current) throws(LibvirtError) -> CPUSet {
    let capacity = try connection.onlineCPUs().capacity
    return try withHandle { (handle) throws(LibvirtError) -> CPUSet in
      var map = [UInt8](repeating: 0, count: CPUSet.mapLength(capacity))
      if library.domainGetEmulatorPinInfo(handle, &map, Int32(map.count), impact.rawValue) < 0 {
        throw library.lastError("virDomainGetEmulatorPinInfo", subject: name)
      }
      return map.withUnsafeBufferPointer { CPUSet(map: $0, capacity: capacity) }
    }
  }

  /// Pins the emulator threads to `cpus`.
  ///
  /// The corresponding libvirt function is `virDomainPinEmulator`.
  public func pinEmulator(to cpus: CPUSet, _ impact: LibvirtImpact = .current) throws(LibvirtError) {
    try withHandle { (handle) throws(LibvirtError) in
      var map = cpus.map
      if library.domainPinEmulator(handle, &map, Int32(map.count), impact.rawValue) < 0 {
        throw library.lastError("virDomainPinEmulator", subject: name)
      }
    }
  }

  /// Sets the domain's current memory (the balloon's target) to `kibibytes`.
  ///
  /// The corresponding libvirt function is `virDomainSetMemoryFlags`.
  /// - Throws: `.invalidArgument` above the domain's maximum memory.
  public func setMemory(kibibytes: UInt, _ impact: LibvirtImpact = .current) throws(LibvirtError) {
    try withHandle { (handle) throws(LibvirtError) in
      if library.domainSetMemoryFlags(handle, kibibytes, impact.rawValue) < 0 {
        throw library.lastError("virDomainSetMemoryFlags", subject: name)
      }
    }
  }
}
