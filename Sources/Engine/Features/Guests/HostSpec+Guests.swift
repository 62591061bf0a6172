import HostConfig

extension HostSpec {
  /// `guests:`, or `nil` when absent.
  public var guests: Guests? {
    get { section("guests") }
    set { sections["guests"] = newValue }
  }

  /// The `guests:` block: how each libvirt domain (by name, or a glob pattern) is placed on
  /// what the host reserved (docs/guests.md).
  public struct Guests: Sendable, Equatable {
    /// The entries, in the order written.
    public var entries: [Guest] = []

    /// Creates a block.
    public init(entries: [Guest] = []) { self.entries = entries }
  }

  /// One entry of `guests:`.
  public struct Guest: Sendable, Equatable {
    /// Where a guest's vCPUs run.
    public enum VCPUs: Sendable, Equatable {
      /// One to one on the isolated CPUs of one NUMA node, chosen by the placement.
      case pinned
      /// On these host CPUs, vCPU 0 on the first, one each.
      case cpus(CPUList)
    }

    /// Where the emulator's threads run.
    public enum Emulator: Sendable, Equatable {
      /// On the CPUs not isolated, of the guest's node where it has any.
      case housekeeping
      /// On these CPUs.
      case cpus(CPUList)
    }

    /// The NUMA node of a guest's memory.
    public enum Node: Sendable, Equatable {
      /// Chosen by the placement: the node of the guest's CPUs, or the one with room.
      case auto
      /// This node.
      case number(Int)
    }

    /// `numatune/memory@mode`.
    public enum MemoryMode: String, Sendable, CaseIterable {
      case strict, preferred, interleave, restrictive
    }

    /// `memory:`.
    public struct Memory: Sendable, Equatable {
      /// `node`.
      public var node: Node = .auto
      /// `hugepages`: the page size backing the guest, in KiB.
      public var hugePageSizeKiB: Int?
      /// `mode`.
      public var mode: MemoryMode = .strict

      /// Creates a memory block.
      public init(node: Node = .auto, hugePageSizeKiB: Int? = nil, mode: MemoryMode = .strict) {
        self.node = node
        self.hugePageSizeKiB = hugePageSizeKiB
        self.mode = mode
      }
    }

    /// `cpu`: the guest CPU model's mode.
    public enum CPUMode: String, Sendable, CaseIterable {
      case hostPassthrough = "host-passthrough"
      case hostModel = "host-model"
    }

    /// The domain's name, or a glob pattern (`web-*`) over the names.
    public var pattern: String
    /// `vcpus`.
    public var vcpus: VCPUs?
    /// `emulator`.
    public var emulator: Emulator?
    /// `memory`.
    public var memory: Memory?
    /// `cpu`.
    public var cpuMode: CPUMode?
    /// `memtune`: limits in KiB, in libvirt's order (``DomainTuning/limitNames``).
    public var limits: [(name: String, kibibytes: Int)] = []
    /// `balloon`: the balloon's current size (`currentMemory`), in KiB.
    public var balloonKiB: Int?
    /// `force`: place a domain another manager regenerates.
    public var force = false

    /// Creates an entry for `pattern` that changes nothing.
    public init(pattern: String) { self.pattern = pattern }

    /// Whether ``pattern`` is a glob (`*`, `?`, `[`).
    public var isPattern: Bool { pattern.contains { "*?[".contains($0) } }

    public static func == (lhs: Self, rhs: Self) -> Bool {
      lhs.pattern == rhs.pattern && lhs.vcpus == rhs.vcpus && lhs.emulator == rhs.emulator
        && lhs.memory == rhs.memory && lhs.cpuMode == rhs.cpuMode && lhs.balloonKiB == rhs.balloonKiB
        && lhs.force == rhs.force && lhs.limits.map(\.name) == rhs.limits.map(\.name)
        && lhs.limits.map(\.kibibytes) == rhs.limits.map(\.kibibytes)
    }
  }
}

extension HostSpec.Guests: FeatureSection {}
