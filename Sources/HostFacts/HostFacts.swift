import RootFS

/// Everything virthost reads about a host before it changes anything, each value with
/// its source.
///
/// `gather(root:)` reads `/proc`, `/sys`, `/boot`, `/var/log/dmesg`, the boot loader's
/// configuration and the services' enablement under a root (the live `/`, an offline
/// image or a fixture tree), read-only. It never throws and
/// never guesses: a source that is missing or unreadable makes its facts unknown, with
/// the reason. It is not a monitor: it reads once, and reads no live kernel log.
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

  /// Reads the facts of the host whose root directory is `root` (`/` for this machine).
  public static func gather(root: HostRoot) -> HostFacts {
    let cpu = CPUFacts(root: root)
    let memory = MemoryFacts(root, cpu: cpu)
    let kernel = KernelFacts(root: root)
    return HostFacts(
      cpu: cpu, kernel: kernel, iommu: IOMMUFacts(root), ksm: KSMFacts(root, pageSize: memory.pageSizeBytes),
      memory: memory, kvm: KVMFacts(root, cpu: cpu), boot: BootFacts(root: root.path, cmdline: kernel.cmdline),
      services: ServicesFacts(root: root.path, isLive: root.isLive))
  }
}
