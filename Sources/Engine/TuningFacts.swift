import HostConfig
import HostFacts
import RootFS

/// What `hugepages:` and `cpu:` are checked and expanded against: the NUMA nodes and their
/// memory, the page sizes the host supports, the online CPUs and their SMT siblings, the
/// kernel the next boot starts, tuned's arguments, and which tools are installed.
///
/// Read by the planner only when the desired state has one of the two keys.
struct TuningFacts {
  /// The nodes; one node 0 holding `MemTotal` when the host shows none.
  var nodes: [NUMANode]
  /// The page sizes (KiB) the host supports; empty when unknown.
  var supportedSizesKiB: [Int]
  /// Whether the CPU has `pdpe1gb`; `nil` when unknown.
  var gigantic: Bool?
  /// `Hugepagesize` of `/proc/meminfo`: the default page size.
  var defaultSizeKiB: Int?
  /// The online CPUs, when known.
  var online: CPUList?
  /// The SMT sibling groups.
  var siblings: [CPUList]
  /// `kernel.numa_balancing`.
  var numaBalancing: Int?
  /// `/sys/kernel/mm/ksm/merge_across_nodes` and `run`.
  var mergeAcrossNodes: Int?
  /// The release of the kernel the next boot starts (`6.1.0-28-amd64`), when known.
  var nextKernel: String?
  /// tuned's state, when a profile is active.
  var tuned: Tuned?
  /// irqbalance's environment file, when irqbalance is installed.
  var irqbalanceFile: String?
  /// Whether systemd is installed (`/etc/systemd`).
  var systemd: Bool
  /// Every `CPUAffinity=` systemd's manager reads, or why they cannot be read.
  var affinity: Result<[CPUAffinityAssignment], ConfigFileError> = .success([])
  /// What the running kernel and PID 1 do with CPU isolation, read for its effect.
  var isolationNow = IsolationNow()

  /// The running host's isolation, as the kernel and PID 1 show it; each `nil` where the
  /// root lacks the live file. These change only with a boot, and are judged every plan
  /// (not kept in a trace), so they are not in ``digestText``.
  struct IsolationNow {
    /// `/sys/devices/system/cpu/isolated`.
    var isolated: CPUList?
    /// `/sys/devices/system/cpu/nohz_full`.
    var nohzFull: CPUList?
    /// PID 1's `Cpus_allowed_list`, when PID 1 is systemd.
    var initAffinity: CPUList?
    /// Whether a file systemd takes `CPUAffinity=` from changed after this boot (`btime` of
    /// `/proc/stat`): PID 1 has not read it yet. `false` when it cannot be told.
    var affinityChangedSinceBoot = false
    /// The numbered interrupts' placement.
    var irqs: [IRQPlacement]?
  }

  /// Reads the facts of `root`.
  static func read(_ root: HostRoot) -> TuningFacts {
    let cpu = CPUFacts(root: root)
    let memory = MemoryFacts(root, cpu: cpu)
    var nodes = NUMAFacts(root: root).nodes.value ?? []
    if nodes.isEmpty {
      nodes = [NUMANode(id: 0, cpus: CPUList([]), memTotalKiB: memory.totalKiB.value, memFreeKiB: nil, hugePages: [])]
    }
    let huge = HugePageFacts(root: root, cpu: cpu)
    let isolation = CPUIsolationFacts(root: root, cmdline: .unknown("not read", source: "/proc/cmdline"))
    let affinity = Result { () throws(ConfigFileError) in try IsolationFiles.cpuAffinityAssignments(root) }
    return TuningFacts(
      nodes: nodes, supportedSizesKiB: huge.supportedSizesKiB, gigantic: huge.gigantic.value,
      defaultSizeKiB: memory.hugePageSizeKiB.value, online: isolation.online.value,
      siblings: isolation.threadSiblings.value ?? [], numaBalancing: memory.numaBalancing.value,
      mergeAcrossNodes: (try? root.value(LiveValueProvider.mergeAcrossNodes)).flatMap { Int($0) },
      nextKernel: nextBootKernel(root), tuned: (try? Tuned.read(root, tunedParams: nil)) ?? nil,
      irqbalanceFile: IsolationFiles.irqbalanceFile(root), systemd: root.isDirectory("/etc/systemd"),
      affinity: affinity,
      isolationNow: IsolationNow(
        isolated: isolation.isolated.value, nohzFull: isolation.nohzFull.value,
        initAffinity: IRQPlacement.initName(root) == "systemd" ? IRQPlacement.initAffinity(root) : nil,
        affinityChangedSinceBoot: affinityChangedSinceBoot(root, (try? affinity.get()) ?? []),
        irqs: IRQPlacement.read(root)))
  }

  /// Whether virthost's `CPUAffinity=` drop-in or another file of `assignments` was
  /// modified after the running kernel booted.
  static func affinityChangedSinceBoot(_ root: HostRoot, _ assignments: [CPUAffinityAssignment]) -> Bool {
    guard let boot = BootTime.read(root) else { return false }
    let files = [IsolationFiles.affinityDropIn] + assignments.map(\.file)
    return files.contains { file in (root.status(file)?.modified).map { $0 / 1_000_000_000 >= boot } ?? false }
  }

  /// The kernel of the entry the boot loader starts next (``NextBootEntry``); `nil` when
  /// that entry starts no kernel virthost can name (a unified kernel image). Where the
  /// boot loader's files do not tell (no generated menu yet, as in a root being built),
  /// the newest kernel in `/boot` (`vmlinuz-<release>`), which `grub-mkconfig` and
  /// `kernel-install` put first.
  static func nextBootKernel(_ root: HostRoot) -> String? {
    if case .found(let entry) = NextBootEntry.read(root) { return entry.kernel }
    let releases = root.listIfPresent("/boot").filter { $0.hasPrefix("vmlinuz-") && !$0.contains("rescue") }
      .map { String($0.dropFirst("vmlinuz-".count)) }
    return releases.max { versionNumbers($0).lexicographicallyPrecedes(versionNumbers($1)) }
  }

  /// The numbers of a release, in order (`6.1.0-28-amd64` → 6, 1, 0, 28).
  static func versionNumbers(_ release: String) -> [Int] {
    release.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
  }

  /// What the checks and the expansion depend on, as text for the plan's facts digest (and
  /// so the converged trace's key): the nodes' CPUs and memory, the online CPUs and
  /// siblings, the page sizes, the next boot's kernel, tuned's profile and arguments, and
  /// which of irqbalance and systemd is installed (not free memory or pool counts, which
  /// change on their own). Everything read here outside the read recorder must be in it, or
  /// a trace would outlive a change of it.
  var digestText: String {
    let nodeText = nodes.map { "\($0.id):\($0.cpus):\($0.memTotalKiB ?? -1)" }.joined(separator: " ")
    let tunedText = tuned.map {
      "\($0.profile) \($0.arguments.map(\.description).joined(separator: " ")) "
        + "(\($0.argumentFiles.joined(separator: ",")); ksm off by \($0.ksmDisabledBy ?? "none"))"
    }
    return "nodes \(nodeText); online \(online?.description ?? "?"); siblings "
      + siblings.map(\.description).joined(separator: " ") + "; sizes "
      + supportedSizesKiB.map(String.init).joined(separator: ",") + "; pdpe1gb \(gigantic.map(String.init) ?? "?"); "
      + "next kernel \(nextKernel ?? "?"); tuned \(tunedText ?? "none"); irqbalance \(irqbalanceFile ?? "none"); "
      + "systemd \(systemd); affinity " + affinityText
  }

  /// The `CPUAffinity=` assignments (or the reason they cannot be read), for the digest.
  private var affinityText: String {
    switch affinity {
    case .success(let assignments): assignments.map { "\($0.file)=\($0.value)" }.joined(separator: " ")
    case .failure(let error): "unreadable: \(error.description)"
    }
  }

  /// Whether the next boot's kernel is `major.minor` or later; `nil` when it is unknown.
  func nextKernelIsAtLeast(_ major: Int, _ minor: Int) -> Bool? {
    guard let nextKernel else { return nil }
    let numbers = Self.versionNumbers(nextKernel)
    guard numbers.count >= 2 else { return nil }
    return !numbers.prefix(2).lexicographicallyPrecedes([major, minor])
  }
}
