/// The longest kernel command line the kernel keeps: `COMMAND_LINE_SIZE` of the architecture
/// virthost is built for, the terminating NUL included. A longer line is cut by the boot
/// loader or the kernel, silently, and its last arguments are lost.
///
/// Offline roots are taken to be of the same architecture as the machine that plans them.
/// The boot loader adds its own words (GRUB's `BOOT_IMAGE=…`), which are not counted here.
public enum CommandLineLimit {
  /// `COMMAND_LINE_SIZE` in bytes, with the NUL: 2048 on x86 and arm64, 4096 on s390x,
  /// 2048 on powerpc, 1024 on riscv64 and 32-bit arm.
  public static let size: Int = {
    #if arch(x86_64) || arch(i386) || arch(arm64) || arch(powerpc64) || arch(powerpc64le)
      2048
    #elseif arch(s390x)
      4096
    #else
      1024
    #endif
  }()

  /// The architecture's name as the kernel's sources call it.
  public static let architecture: String = {
    #if arch(x86_64) || arch(i386)
      "x86"
    #elseif arch(arm64)
      "arm64"
    #elseif arch(s390x)
      "s390"
    #elseif arch(powerpc64) || arch(powerpc64le)
      "powerpc"
    #else
      "this architecture"
    #endif
  }()

  /// The bytes of `arguments` written as one command line (single spaces between them).
  public static func length(_ arguments: [KernelArgument]) -> Int {
    arguments.reduce(0) { $0 + $1.description.utf8.count } + max(arguments.count - 1, 0)
  }

  /// Why `arguments` do not fit: a clause naming their length and the limit; `nil` when they fit.
  public static func problem(_ arguments: [KernelArgument]) -> String? {
    let length = length(arguments)
    guard length >= size else { return nil }
    return "\(length) bytes, more than the \(size - 1) the \(architecture) kernel keeps (COMMAND_LINE_SIZE \(size))"
  }
}
