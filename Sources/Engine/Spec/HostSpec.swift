import HostConfig
import KSMConfig

/// The desired state of a KVM host, as read from its `host.yaml`.
///
/// A key left out of the file leaves that part of the host unmanaged: the engine
/// neither reads nor changes it. Built by ``SpecParser``; plain values only.
public struct HostSpec: Sendable, Equatable {
  /// What `iommu:` asks for.
  public enum IOMMU: String, Sendable, CaseIterable {
    /// `amd_iommu=on` or `intel_iommu=on`, by CPU vendor.
    case on
    /// `amd_iommu=off` or `intel_iommu=off`, by CPU vendor.
    case off
    /// The kernel lines' IOMMU arguments are left as they are.
    case unmanaged
  }

  /// Which tuner runs with KSM.
  public enum Tuner: String, Sendable, CaseIterable {
    /// The project's `virthost-ksmtuned` daemon, installed by the plan.
    case bundled
    /// The distribution's `ksmtuned` service.
    case system
    /// No tuner: KSM alone runs with the kernel's settings.
    case none
  }

  /// What `services:` asks of one service.
  public enum ServiceState: String, Sendable, CaseIterable {
    /// Started at boot; its running state is left alone.
    case enabled
    /// Not started at boot; its running state is left alone.
    case disabled
    /// Started at boot and, on a live host, running now.
    case running
    /// Not started at boot and, on a live host, stopped now.
    case stopped
  }

  /// The `kernel:` block.
  public struct Kernel: Sendable, Equatable {
    /// The entries whose kernel lines are edited (`kernel.entries`).
    public var entries: EntrySelection = .all
    /// Arguments every selected kernel line must have (`key` or `key=value`), checked.
    public var present: [KernelArgument] = []
    /// Arguments no selected kernel line may have, checked.
    public var absent: [KernelArgument] = []

    /// Creates a kernel block.
    public init(entries: EntrySelection = .all, present: [KernelArgument] = [], absent: [KernelArgument] = []) {
      self.entries = entries
      self.present = present
      self.absent = absent
    }
  }

  /// The `ksm:` block.
  public struct KSM: Sendable, Equatable {
    /// `true`: KSM and its tuner enabled at boot (and running on a live host);
    /// `false`: both off and disabled; `nil`: unmanaged.
    public var enabled: Bool?
    /// The tuner that goes with KSM.
    public var tuner: Tuner = .system
    /// The desired `/sys/kernel/mm/ksm/merge_across_nodes`, or `nil` when unmanaged.
    public var mergeAcrossNodes: Bool?
    /// `/etc/ksmtuned.conf` settings, in file order, each checked by its value rule.
    public var settings: [KSMSetting] = []

    /// Creates a KSM block.
    public init(
      enabled: Bool? = nil, tuner: Tuner = .system, mergeAcrossNodes: Bool? = nil, settings: [KSMSetting] = []
    ) {
      self.enabled = enabled
      self.tuner = tuner
      self.mergeAcrossNodes = mergeAcrossNodes
      self.settings = settings
    }
  }

  /// One `ksm.settings` pair: a ksmtuned.conf setting and what the file should say of it.
  public struct KSMSetting: Sendable, Equatable {
    /// The setting (`KSM_NPAGES_MAX`).
    public var setting: KsmtunedSetting
    /// A value its rule accepts, or no assignment (`null`, or `DEBUG: false`).
    public var value: KsmtunedDesiredValue

    /// Creates a pair.
    public init(_ setting: KsmtunedSetting, _ value: KsmtunedDesiredValue) {
      self.setting = setting
      self.value = value
    }

    /// Creates a pair that assigns `value`.
    public init(_ setting: KsmtunedSetting, _ value: String) {
      self.init(setting, .set(value))
    }
  }

  /// One `name: value` pair of an ordered map (`sysctl`).
  public struct Setting: Sendable, Equatable {
    /// The key as written.
    public var name: String
    /// The value as written, as text.
    public var value: String

    /// Creates a pair.
    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  /// The `passthrough:` block: PCI devices handed to guests through `vfio-pci`.
  public struct Passthrough: Sendable, Equatable {
    /// The devices, each by address (`0000:01:00.0`) or by IDs (`10de:1b80`), as written.
    public var devices: [String] = []
    /// The host drivers that must not take the devices first (`softdep <driver> pre: vfio-pci`).
    public var hostDrivers: [String] = []
    /// The host drivers never loaded at all (`blacklist <driver>`).
    public var blacklist: [String] = []

    /// Creates a passthrough block.
    public init(devices: [String] = [], hostDrivers: [String] = [], blacklist: [String] = []) {
      self.devices = devices
      self.hostDrivers = hostDrivers
      self.blacklist = blacklist
    }

    /// The IDs selectors (`10de:1b80`), in lower case, each once, in order: what `vfio-pci ids=` binds.
    public var selectedIDs: [String] {
      devices.filter(ModuleOptionRules.isIDs).map { $0.lowercased() }.reduce(into: []) {
        if !$0.contains($1) { $0.append($1) }
      }
    }

    /// The address selectors (`0000:01:00.0`), in lower case, each once, in order: bound by address.
    public var selectedAddresses: [String] {
      devices.filter(ModuleOptionRules.isAddress).map { $0.lowercased() }.reduce(into: []) {
        if !$0.contains($1) { $0.append($1) }
      }
    }
  }

  /// The `kvm:` block: options of the KVM modules.
  public struct KVM: Sendable, Equatable {
    /// `nested=1` or `nested=0` for the CPU vendor's module, `nil` when unmanaged.
    public var nested: Bool?
    /// Other options by module (`kvm`, `kvm_intel`, `kvm_amd`), each in file order.
    public var options: [String: [Setting]] = [:]

    /// Creates a KVM block.
    public init(nested: Bool? = nil, options: [String: [Setting]] = [:]) {
      self.nested = nested
      self.options = options
    }
  }

  /// `passthrough:`, or `nil` when absent.
  public var passthrough: Passthrough?
  /// `kvm:`, or `nil` when absent.
  public var kvm: KVM?

  /// `iommu:`.
  public var iommu: IOMMU = .unmanaged
  /// `iommu_passthrough:`: `true` adds `iommu=pt`, `false` removes it, `nil` leaves it.
  public var iommuPassthrough: Bool?
  /// `kernel:`, or `nil` when absent.
  public var kernel: Kernel?
  /// `ksm:`, or `nil` when absent.
  public var ksm: KSM?
  /// `services:`, in file order: the service name and its state.
  public var services: [(name: String, state: ServiceState)] = []
  /// `sysctl:`, in file order.
  public var sysctl: [Setting] = []
  /// `hugepages:`, or `nil` when absent.
  public var hugepages: HugePages?
  /// `cpu:`, or `nil` when absent.
  public var cpu: CPU?

  /// The blocks of the features that keep their spec in their own folder (``FeatureSection``), by key.
  var sections: [String: any FeatureSection] = [:]

  /// An empty desired state: nothing managed.
  public init() {}

  /// Compares every key; `services` pairwise.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.sections.keys.sorted() == rhs.sections.keys.sorted()
      && lhs.sections.allSatisfy { key, section in rhs.sections[key].map(section.isEqual) ?? false }
      && lhs.iommu == rhs.iommu && lhs.iommuPassthrough == rhs.iommuPassthrough && lhs.kernel == rhs.kernel
      && lhs.ksm == rhs.ksm && lhs.sysctl == rhs.sysctl && lhs.hugepages == rhs.hugepages && lhs.cpu == rhs.cpu
      && lhs.passthrough == rhs.passthrough && lhs.kvm == rhs.kvm
      && lhs.services.map(\.name) == rhs.services.map(\.name)
      && lhs.services.map(\.state) == rhs.services.map(\.state)
  }
}
