import RootFS

/// The facts behind the checks libvirt's `virt-host-validate qemu` makes, and those virthost
/// adds where it is silent: the CPU flags, the device nodes (`/dev/kvm` and whether the caller
/// may open it, `/dev/vhost-net`, `/dev/net/tun`, `/dev/sev`), the cgroup controllers, the ACPI
/// tables that announce an IOMMU, secure guests (AMD SEV, SEV-ES, SEV-SNP, Intel TDX), nested
/// virtualization and the KSM counters of kernel 6.x.
///
/// Every value is read through the root layer (``HostRoot``), read-only, and is a ``Fact``
/// with its source or the reason it is unknown. It is not the whole of a host's facts
/// (``HostFacts`` reads the CPU vendor, kernel, IOMMU boot log, KSM, memory, boot loader and
/// services), and not a monitor: it reads once.
public struct ValidateFacts: Sendable, Codable, Equatable {
  /// The CPU's `vendor_id` and flags (the one reader of `/proc/cpuinfo`, ``CPUFacts``).
  public var cpu: CPUFacts
  /// `/dev/kvm`, `/dev/vhost-net`, `/dev/net/tun`, `/dev/sev`.
  public var devices: DeviceNodeFacts
  /// The cgroup controllers libvirt needs, v1 or v2.
  public var cgroups: CgroupFacts
  /// The ACPI tables announcing an IOMMU, and the kernel's IOMMU groups.
  public var firmwareIOMMU: FirmwareIOMMUFacts
  /// AMD SEV, SEV-ES, SEV-SNP and Intel TDX.
  public var secureGuests: SecureGuestFacts
  /// Nested virtualization in `kvm_intel` or `kvm_amd`.
  public var nested: NestedFacts
  /// The KSM counters newer kernels add, only those present.
  public var ksmCounters: KSMCounters

  private enum CodingKeys: String, CodingKey {
    case cpu, devices, cgroups
    case firmwareIOMMU = "firmware_iommu"
    case secureGuests = "secure_guests"
    case nested
    case ksmCounters = "ksm_counters"
  }

  /// Reads the facts of the host at `root`; whether a device node may be opened is judged for
  /// `credentials` (on the live root, by `access(2)` for this process instead). Never throws.
  public static func gather(_ root: HostRoot, as credentials: Credentials = .caller) -> ValidateFacts {
    gather(root, cpu: CPUFacts(root: root), as: credentials)
  }

  /// Reads the facts of the host at `root` whose processors `cpu` describes.
  public static func gather(_ root: HostRoot, cpu: CPUFacts, as credentials: Credentials = .caller) -> ValidateFacts {
    let devices = DeviceNodeFacts(root, as: credentials)
    return ValidateFacts(
      cpu: cpu, devices: devices, cgroups: CgroupFacts(root), firmwareIOMMU: FirmwareIOMMUFacts(root),
      secureGuests: SecureGuestFacts(root, cpu: cpu, devices: devices), nested: NestedFacts(root),
      ksmCounters: KSMCounters(root))
  }
}

extension HostRoot {
  /// The text of the file at `path` (invalid UTF-8 repaired), or why it cannot be read.
  func textFact(_ path: String) -> Result<String, HostRootError> {
    do throws(HostRootError) {
      return .success(String(decoding: try read(path), as: UTF8.self))
    } catch {
      return .failure(error)
    }
  }

  /// The single value of the `/proc` or sysfs file at `path`, as a fact.
  func valueFact(_ path: String) -> Fact<String> {
    do throws(HostRootError) {
      return .known(try value(path), source: path)
    } catch {
      return .unknown(error.description, source: path)
    }
  }

  /// A kernel module's boolean parameter (`Y`, `N`, `1`, `0`) at `path`, as a fact; read as
  /// `virt-host-validate` reads `kvm_amd.sev`: the first character `1`, `Y` or `y` is on.
  func switchFact(_ path: String) -> Fact<Bool> {
    let raw = valueFact(path)
    guard let text = raw.value else { return .unknown(raw.unknown ?? "", source: path) }
    switch text.first {
    case "1", "Y", "y": return .known(true, source: path)
    case "0", "N", "n": return .known(false, source: path)
    default: return .unknown("\(path) holds \"\(text)\", not Y or N", source: path)
    }
  }
}
