/// Whether this host can run KVM guests, judged once from the CPU flags, `/dev/kvm` and the
/// kernel's `CONFIG_KVM`: the one verdict that `virthost facts` shows and that `plan` and
/// `apply` act on, so that the three agree.
public enum KVMAvailability: Sendable, Codable, Equatable {
  /// The CPU shows `flag` (`svm` or `vmx`); `/dev/kvm` may still wait for its module.
  case hardware(flag: String)
  /// No flag, yet a working `/dev/kvm`: KVM is provided another way (nested, or
  /// paravirtualized KVM such as PVM). Guests run; the facts warn.
  case withoutFlags
  /// No KVM here, for `reason` (no flag and no `/dev/kvm`, or a kernel without KVM).
  case unavailable(reason: String)
  /// The sources do not tell, for `reason`.
  case unknown(reason: String)

  /// The verdict for a CPU whose `svm`/`vmx` flag is `flag` (`nil` when the flags are
  /// unknown, `""` when it shows neither), `/dev/kvm` present or not (`nil`: no `/dev` to
  /// look in), and a kernel known to lack `CONFIG_KVM` or not.
  public static func judge(flag: String?, device: Bool?, kernelLacksKVM: Bool) -> KVMAvailability {
    if kernelLacksKVM { return .unavailable(reason: "the kernel is built without KVM (CONFIG_KVM is not set)") }
    switch (flag, device) {
    case (let flag?, _) where !flag.isEmpty: return .hardware(flag: flag)
    case (_, true?): return .withoutFlags
    case (""?, false?): return .unavailable(reason: "the CPU has no svm or vmx flag and /dev/kvm does not exist")
    case (""?, nil):
      return .unavailable(reason: "the CPU has no svm or vmx flag (and no /dev under the root shows a /dev/kvm)")
    default: return .unknown(reason: "/proc/cpuinfo under the root has no flags line")
    }
  }

  /// The verdict for `cpu`, `kvm` and `kernel` facts.
  public init(cpu: CPUFacts, kvm: KVMFacts, kernel: KernelFacts) {
    self = Self.judge(
      flag: cpu.virtualizationFlag, device: kvm.device.value, kernelLacksKVM: kernel.config("CONFIG_KVM").value == "n")
  }
}

extension CPUFacts {
  /// `svm` or `vmx`, whichever the CPU shows; `""` for neither, `nil` when the flags are unknown.
  public var virtualizationFlag: String? {
    guard let has = hardwareVirtualization.value else { return nil }
    guard has else { return "" }
    return flags.value?.contains("vmx") == true ? "vmx" : "svm"
  }
}
