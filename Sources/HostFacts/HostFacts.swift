import RootFS

/// Everything virthost reads about a host before it changes anything, each value with
/// its source.
///
/// `gather(root:)` reads `/proc`, `/sys`, `/boot`, `/dev`, `/var/log/dmesg`, the boot loader's
/// configuration and the services' enablement under a root (the live `/`, an offline
/// image or a fixture tree), read-only; on the live root without `/var/log/dmesg`, the
/// kernel's ring buffer (``KernelRingBuffer``). It never throws and
/// never guesses: a source that is missing or unreadable makes its facts unknown, with
/// the reason. It is not a monitor: it reads once.
public struct HostFacts: Sendable, Codable, Equatable {
  /// The processors.
  public var cpu: CPUFacts
  /// The running kernel.
  public var kernel: KernelFacts
  /// The IOMMU.
  public var iommu: IOMMUFacts
  /// Kernel Samepage Merging.
  public var ksm: KSMFacts
  /// Memory.
  public var memory: MemoryFacts
  /// KVM's device and module.
  public var kvm: KVMFacts
  /// The kernel arguments configured in the boot loader against those running.
  public var boot: BootFacts
  /// The KSM services.
  public var services: ServicesFacts
  /// The facts behind `virt-host-validate qemu`'s checks and beyond: device nodes, cgroups,
  /// firmware IOMMU tables, secure guests, nested virtualization, newer KSM counters. Its
  /// `cpu` is ``cpu``; in JSON its other members stand beside the facts above.
  public var validate: ValidateFacts
  /// The NUMA nodes, their memory and huge page pools.
  public var numa: NUMAFacts
  /// The global huge page pools and the sizes the host supports.
  public var hugePages: HugePageFacts
  /// Online CPUs, SMT siblings and what isolates CPUs from the host's own work.
  public var cpuIsolation: CPUIsolationFacts
  /// The PCI devices, their drivers and IOMMU groups, and the devices the host boots from.
  public var pci: PCIFacts
  /// KVM's modules as they run: the vendor module and the live parameters.
  public var kvmModules: KVMModuleFacts
  /// libvirt's daemons, and whether its QEMU driver and guests run on the current settings.
  public var libvirt: LibvirtFacts

  /// Whether KVM guests can run here: the verdict facts, plan and apply share.
  public var kvmAvailability: KVMAvailability { KVMAvailability(cpu: cpu, kvm: kvm, kernel: kernel) }

  /// Creates the facts from their parts.
  public init(
    cpu: CPUFacts, kernel: KernelFacts, iommu: IOMMUFacts, ksm: KSMFacts, memory: MemoryFacts, kvm: KVMFacts,
    boot: BootFacts, services: ServicesFacts, validate: ValidateFacts, numa: NUMAFacts, hugePages: HugePageFacts,
    cpuIsolation: CPUIsolationFacts, pci: PCIFacts, kvmModules: KVMModuleFacts
  ) {
    self.cpu = cpu
    self.kernel = kernel
    self.iommu = iommu
    self.ksm = ksm
    self.memory = memory
    self.kvm = kvm
    self.boot = boot
    self.services = services
    self.validate = validate
    self.numa = numa
    self.hugePages = hugePages
    self.cpuIsolation = cpuIsolation
    self.pci = pci
    self.kvmModules = kvmModules
    self.libvirt = LibvirtFacts(unknown: "not gathered", source: "libvirt")
  }

  private enum CodingKeys: String, CodingKey {
    case cpu, kernel, iommu, ksm, memory, kvm, boot, services, devices, cgroups
    case firmwareIOMMU = "firmware_iommu"
    case secureGuests = "secure_guests"
    case nested
    case ksmCounters = "ksm_counters"
    case numa
    case hugePages = "huge_pages"
    case cpuIsolation = "cpu_isolation"
    case pci
    case kvmModules = "kvm_modules"
    case libvirt
  }

  /// Decodes the facts; the validation facts are read back from the keys beside them.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    cpu = try container.decode(CPUFacts.self, forKey: .cpu)
    kernel = try container.decode(KernelFacts.self, forKey: .kernel)
    iommu = try container.decode(IOMMUFacts.self, forKey: .iommu)
    ksm = try container.decode(KSMFacts.self, forKey: .ksm)
    memory = try container.decode(MemoryFacts.self, forKey: .memory)
    kvm = try container.decode(KVMFacts.self, forKey: .kvm)
    boot = try container.decode(BootFacts.self, forKey: .boot)
    services = try container.decode(ServicesFacts.self, forKey: .services)
    numa = try container.decode(NUMAFacts.self, forKey: .numa)
    hugePages = try container.decode(HugePageFacts.self, forKey: .hugePages)
    cpuIsolation = try container.decode(CPUIsolationFacts.self, forKey: .cpuIsolation)
    validate = ValidateFacts(
      cpu: cpu, devices: try container.decode(DeviceNodeFacts.self, forKey: .devices),
      cgroups: try container.decode(CgroupFacts.self, forKey: .cgroups),
      firmwareIOMMU: try container.decode(FirmwareIOMMUFacts.self, forKey: .firmwareIOMMU),
      secureGuests: try container.decode(SecureGuestFacts.self, forKey: .secureGuests),
      nested: try container.decode(NestedFacts.self, forKey: .nested),
      ksmCounters: try container.decode(KSMCounters.self, forKey: .ksmCounters))
    pci = try container.decode(PCIFacts.self, forKey: .pci)
    kvmModules = try container.decode(KVMModuleFacts.self, forKey: .kvmModules)
    libvirt =
      try container.decodeIfPresent(LibvirtFacts.self, forKey: .libvirt)
      ?? LibvirtFacts(unknown: "saved before libvirt's facts existed", source: "libvirt")
  }

  /// Encodes the facts, the validation facts beside the others (their CPU is ``cpu``).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(cpu, forKey: .cpu)
    try container.encode(kernel, forKey: .kernel)
    try container.encode(iommu, forKey: .iommu)
    try container.encode(ksm, forKey: .ksm)
    try container.encode(memory, forKey: .memory)
    try container.encode(kvm, forKey: .kvm)
    try container.encode(boot, forKey: .boot)
    try container.encode(services, forKey: .services)
    try container.encode(validate.devices, forKey: .devices)
    try container.encode(validate.cgroups, forKey: .cgroups)
    try container.encode(validate.firmwareIOMMU, forKey: .firmwareIOMMU)
    try container.encode(validate.secureGuests, forKey: .secureGuests)
    try container.encode(validate.nested, forKey: .nested)
    try container.encode(validate.ksmCounters, forKey: .ksmCounters)
    try container.encode(numa, forKey: .numa)
    try container.encode(hugePages, forKey: .hugePages)
    try container.encode(cpuIsolation, forKey: .cpuIsolation)
    try container.encode(pci, forKey: .pci)
    try container.encode(kvmModules, forKey: .kvmModules)
    try container.encode(libvirt, forKey: .libvirt)
  }

  /// Reads the facts of the host whose root directory is `root` (`/` for this machine).
  public static func gather(root: HostRoot) -> HostFacts {
    let cpu = CPUFacts(root: root)
    let memory = MemoryFacts(root, cpu: cpu)
    let kernel = KernelFacts(root: root)
    let validate = ValidateFacts.gather(root, cpu: cpu)
    var facts = HostFacts(
      cpu: cpu, kernel: kernel, iommu: IOMMUFacts(root), ksm: KSMFacts(root, pageSize: memory.pageSizeBytes),
      memory: memory, kvm: KVMFacts(root, cpu: cpu, devices: validate.devices),
      boot: BootFacts(root: root, cmdline: kernel.cmdline),
      services: ServicesFacts(root: root), validate: validate, numa: NUMAFacts(root: root),
      hugePages: HugePageFacts(root: root, cpu: cpu),
      cpuIsolation: CPUIsolationFacts(root: root, cmdline: kernel.cmdline), pci: PCIFacts(root),
      kvmModules: KVMModuleFacts(root))
    facts.libvirt = LibvirtFacts(root: root)
    return facts
  }
}
