import HostConfig
import RootFS

/// Which CPUs are online, which share a core, and what keeps the host's own work off some
/// of them: the kernel's `isolated` and `nohz_full` lists, the isolation arguments it was
/// booted with, systemd's `CPUAffinity=` and irqbalance's banned CPU list.
public struct CPUIsolationFacts: Sendable, Codable, Equatable {
  /// `/sys/devices/system/cpu/online`.
  public var online: Fact<CPUList>
  /// The SMT sibling groups (`cpuN/topology/thread_siblings_list`), one per core with
  /// more than one thread; empty without SMT.
  public var threadSiblings: Fact<[CPUList]>
  /// `/sys/devices/system/cpu/isolated`: the CPUs `isolcpus=` took out of scheduling domains.
  public var isolated: Fact<CPUList>
  /// `/sys/devices/system/cpu/nohz_full`.
  public var nohzFull: Fact<CPUList>
  /// The running kernel's `isolcpus=`, `nohz_full=`, `rcu_nocbs=` and `irqaffinity=` arguments.
  public var arguments: Fact<[String]>
  /// systemd's `CPUAffinity=` (its last setting in system.conf and its drop-ins); `""` when unset.
  public var systemdCPUAffinity: Fact<String>
  /// irqbalance's `IRQBALANCE_BANNED_CPULIST`; `""` when unset; unknown when irqbalance is not installed.
  public var irqbalanceBanned: Fact<String>

  private enum CodingKeys: String, CodingKey {
    case online
    case threadSiblings = "thread_siblings"
    case isolated
    case nohzFull = "nohz_full"
    case arguments
    case systemdCPUAffinity = "systemd_cpu_affinity"
    case irqbalanceBanned = "irqbalance_banned"
  }

  static let cpus = "/sys/devices/system/cpu"
  /// The folder of the kernel's CPU lists.
  public static var cpusFolder: String { cpus }
  /// The kernel arguments that isolate CPUs.
  public static let argumentKeys = ["isolcpus", "nohz_full", "rcu_nocbs", "irqaffinity"]

  /// Reads the CPUs under `root`; `cmdline` is the running kernel's command line.
  public init(root: HostRoot, cmdline: Fact<[String]>) {
    online = Self.list(root, "\(Self.cpus)/online")
    isolated = Self.list(root, "\(Self.cpus)/isolated")
    nohzFull = Self.list(root, "\(Self.cpus)/nohz_full")
    let siblingSource = "\(Self.cpus)/cpu*/topology/thread_siblings_list"
    if let cpus = online.value, cpus.count > CPUList.kernelLimit {
      threadSiblings = .unknown(
        "\(Self.cpus)/online lists \(cpus.count) CPUs, more than a Linux kernel can have (\(CPUList.kernelLimit))",
        source: siblingSource)
    } else if let cpus = online.value {
      var groups: [CPUList] = []
      for cpu in cpus.cpus {
        let path = "\(Self.cpus)/cpu\(cpu)/topology/thread_siblings_list"
        guard let group = (try? root.value(path)).flatMap({ try? CPUList(parsing: $0) }),
          (2...CPUList.kernelLimit).contains(group.count),
          !groups.contains(group)
        else { continue }
        groups.append(group)
      }
      threadSiblings = .known(groups, source: siblingSource)
    } else {
      threadSiblings = .unknown(online.unknown ?? "", source: siblingSource)
    }
    arguments = cmdline.map { words in
      words.filter { word in Self.argumentKeys.contains(KernelArgument(word: word).key) }
    }
    if !root.isDirectory("/etc/systemd") {
      systemdCPUAffinity = .unknown(
        "/etc/systemd not found (systemd is not installed)", source: IsolationFiles.systemManager)
    } else {
      do {
        let affinity = try IsolationFiles.cpuAffinity(root)
        systemdCPUAffinity = .known(affinity?.value ?? "", source: affinity?.file ?? IsolationFiles.systemManager)
      } catch {
        systemdCPUAffinity = .unknown(error.description, source: error.file ?? IsolationFiles.systemManager)
      }
    }
    let irqSource = IsolationFiles.irqbalanceFiles.joined(separator: ", ")
    if let file = IsolationFiles.irqbalanceFile(root) {
      do {
        irqbalanceBanned = .known(try IsolationFiles.bannedCPUList(root)?.value ?? "", source: file)
      } catch {
        irqbalanceBanned = .unknown(error.description, source: file)
      }
    } else {
      irqbalanceBanned = .unknown("irqbalance is not installed (neither file exists)", source: irqSource)
    }
  }

  /// The CPU list in the file `path`; an empty file is the empty list.
  private static func list(_ root: HostRoot, _ path: String) -> Fact<CPUList> {
    switch root.factValue(path) {
    case .failure(let error): return .unknown(error.factReason, source: path)
    case .success(let text):
      // Kernels print "(null)" in nohz_full when the argument is not given.
      if text == "(null)" { return .known(CPUList([]), source: path) }
      do { return .known(try CPUList(parsing: text), source: path) } catch {
        return .unknown("\(path): \(error.message)", source: path)
      }
    }
  }
}
