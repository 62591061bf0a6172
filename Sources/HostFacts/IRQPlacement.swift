import HostConfig
import RootFS

/// Where the running kernel delivers one interrupt: the CPUs its affinity asks for
/// (`/proc/irq/N/smp_affinity_list`, which irqbalance and `irqaffinity=` set for a movable
/// interrupt, and the kernel spreads for a managed one) and the CPUs it is delivered to
/// (`effective_affinity_list`, Linux 4.13 and later).
public struct IRQPlacement: Sendable, Equatable {
  /// The interrupt's number.
  public var irq: Int
  /// `smp_affinity_list`.
  public var requested: CPUList
  /// `effective_affinity_list`.
  public var effective: CPUList
  /// Whether the kernel manages its affinity (a queue spread over the CPUs, which no one can
  /// move), from debugfs's `irq/irqs/N` (`IRQD_AFFINITY_MANAGED`, kernels built with
  /// `CONFIG_GENERIC_IRQ_DEBUGFS`); `nil` when debugfs does not show it. Nothing else tells
  /// it without writing to `smp_affinity`, which a managed interrupt refuses with `EIO`.
  public var managed: Bool?

  public init(irq: Int, requested: CPUList, effective: CPUList, managed: Bool? = nil) {
    self.irq = irq
    self.requested = requested
    self.effective = effective
    self.managed = managed
  }

  /// debugfs's folder of the interrupts' states.
  public static let debugFolder = "/sys/kernel/debug/irq/irqs"

  /// The folder of the numbered interrupts.
  public static let folder = "/proc/irq"

  /// Every numbered interrupt of `root` that shows both lists, by number; `nil` when
  /// `/proc/irq` is absent (a root without the kernel's live files).
  public static func read(_ root: HostRoot) -> [IRQPlacement]? {
    guard root.isDirectory(folder) else { return nil }
    let numbers = root.listIfPresent(folder).compactMap { Int($0) }.sorted()
    return numbers.compactMap { irq in
      guard let requested = list(root, "\(folder)/\(irq)/smp_affinity_list"),
        let effective = list(root, "\(folder)/\(irq)/effective_affinity_list")
      else { return nil }
      let state = try? root.text("\(debugFolder)/\(irq)")
      return IRQPlacement(
        irq: irq, requested: requested, effective: effective,
        managed: state.map { $0.contains("IRQD_AFFINITY_MANAGED") })
    }
  }

  /// PID 1's CPUs (`Cpus_allowed_list` of `/proc/1/status`), `nil` when it cannot be read.
  public static func initAffinity(_ root: HostRoot) -> CPUList? {
    guard let status = try? root.text("/proc/1/status") else { return nil }
    let prefix = "Cpus_allowed_list:"
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
    return try? CPUList(parsing: String(line.dropFirst(prefix.count)).trimmedOfBlanks)
  }

  /// PID 1's command name (`/proc/1/comm`), `nil` when it cannot be read.
  public static func initName(_ root: HostRoot) -> String? { try? root.value("/proc/1/comm") }

  private static func list(_ root: HostRoot, _ path: String) -> CPUList? {
    guard let text = try? root.value(path) else { return nil }
    return try? CPUList(parsing: text)
  }
}
