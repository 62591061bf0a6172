import HostConfig
import HostFacts

/// What `hugepages:` expands into on one host, after its checks: kernel arguments (one
/// ordered run), live writes, the persistent `vm.nr_hugepages`, and virthost's boot unit
/// that repeats the per-node writes at each boot. Made by ``Expansion``.
struct HugePagesPlan {
  /// The kernel arguments (`boot`), or their removal (`runtime`, `none`).
  var kernelWants: [KernelArgsProvider.Want] = []
  /// The sysfs and sysctl values written now (`runtime`).
  var liveWants: [LiveValueProvider.Want] = []
  /// `vm.nr_hugepages`, kept across reboots by the sysctl files (`runtime`, a 2 MiB total).
  var sysctl: [HostSpec.Setting] = []
  /// The writes the boot unit repeats; empty when no unit is wanted (then an existing one is removed).
  var unitWrites: [LiveWrite] = []
  /// `vm.nr_hugepages` taken out of the sysctl files when this plan does not use it (`none`,
  /// `boot`, a runtime pool that is not a total of the default size): a value left from an
  /// earlier runtime plan would still reserve pages at each boot.
  var sysctlRemovals: [SysctlFileProvider.Removal] = []
  /// The page sizes (KiB) that get a hugetlbfs mount of virthost's (`hugepages.mounts: auto`,
  /// a pool whose size is not the default), in the pools' order.
  var mountSizes: [Int] = []
  /// The host's other page sizes: a mount unit of virthost's for them is removed.
  var unmountedSizes: [Int] = []

  /// The keys of the kernel arguments `hugepages:` owns.
  static let argumentKeys = ["default_hugepagesz", "hugepagesz", "hugepages"]
  /// The sysctl key of the default size's pool.
  static let sysctlKey = "vm.nr_hugepages"
  /// The sysctl key that reserves default-size pages at boot by the NUMA policy of the task
  /// that writes it (Documentation/admin-guide/mm/hugetlbpage.rst): `hugepages:` never uses
  /// it, and a boot value of it would reserve pages that `hugepages:` does not ask for.
  static let mempolicyKey = "vm.nr_hugepages_mempolicy"
  /// The ordered run of the huge page arguments.
  static let run = 0
}

extension Expansion {
  /// Checks `hugepages:` against the host and expands it; an error leaves it out of the plan.
  mutating func hugePagesPlan() -> HugePagesPlan? {
    guard let huge = spec.hugepages else { return nil }
    var plan = HugePagesPlan()
    let removal = { (key: String, reason: String) in
      KernelArgsProvider.Want(
        argument: KernelArgument(key: key, value: nil), present: false, origin: "hugepages", reason: reason)
    }
    let sysctlRemoval = { (reason: String) in
      SysctlFileProvider.Removal(key: HugePagesPlan.sysctlKey, origin: "hugepages", reason: reason)
    }
    let mempolicyRemoval = SysctlFileProvider.Removal(
      key: HugePagesPlan.mempolicyKey, origin: "hugepages",
      reason: "hugepages: owns the pools reserved at boot, and this key would reserve more")
    if huge.isNone {
      plan.kernelWants = HugePagesPlan.argumentKeys.map { removal($0, "hugepages: none") }
      plan.sysctlRemovals = [sysctlRemoval("hugepages: none reserves no page at boot"), mempolicyRemoval]
      plan.unmountedSizes = tuning?.supportedSizesKiB ?? []
      return plan
    }
    guard let tuning, checkHugePages(huge, tuning) else { return nil }
    // The default size is mounted by systemd at /dev/hugepages; default_size decides it at the next boot.
    let defaultSize = huge.defaultSizeKiB ?? tuning.defaultSizeKiB ?? 2048
    if huge.mounts == .auto {
      plan.mountSizes = huge.pools.map(\.sizeKiB).filter { $0 != defaultSize }
    }
    plan.unmountedSizes = tuning.supportedSizesKiB.filter { !plan.mountSizes.contains($0) }
    switch huge.mode {
    case .boot:
      var arguments: [KernelArgument] = []
      if let size = huge.defaultSizeKiB {
        arguments.append(KernelArgument(key: "default_hugepagesz", value: HostSpec.sizeText(kibibytes: size)))
      }
      for pool in huge.pools {
        arguments.append(KernelArgument(key: "hugepagesz", value: HostSpec.sizeText(kibibytes: pool.sizeKiB)))
        let count =
          switch pool.count {
          case .total(let pages): "\(pages)"
          case .perNode(let nodes): nodes.map { "\($0.node):\($0.pages)" }.joined(separator: ",")
          }
        arguments.append(KernelArgument(key: "hugepages", value: count))
      }
      plan.kernelWants = arguments.map { argument in
        KernelArgsProvider.Want(
          argument: argument, present: true, origin: "hugepages",
          reason: "hugepages: reserved at boot", run: HugePagesPlan.run)
      }
      checkBootedPools(huge, arguments, tuning)
      plan.sysctlRemovals = [
        sysctlRemoval("hugepages.mode: boot reserves the pages with kernel arguments, which a boot value would change")
      ]
    case .runtime:
      plan.kernelWants = HugePagesPlan.argumentKeys.map { removal($0, "hugepages.mode: runtime") }
      for pool in huge.pools {
        let folder = HugePagePool.folder(sizeKiB: pool.sizeKiB)
        switch pool.count {
        case .total(let pages) where pool.sizeKiB == tuning.defaultSizeKiB:
          plan.sysctl.append(.init(HugePagesPlan.sysctlKey, "\(pages)"))
          plan.liveWants.append(
            .init(
              address: ResourceAddress(.sysctl, "vm.nr_hugepages"), path: SysctlKey("vm.nr_hugepages").procPath,
              value: "\(pages)", origin: "hugepages",
              reason: "hugepages: \(counted(pages, "page")) of the default size now"))
        case .total(let pages):
          let path = "/sys/kernel/mm/hugepages/\(folder)/nr_hugepages"
          plan.unitWrites.append(LiveWrite(path: path, value: "\(pages)"))
        case .perNode(let nodes):
          for node in nodes {
            let path = "/sys/devices/system/node/node\(node.node)/hugepages/\(folder)/nr_hugepages"
            plan.unitWrites.append(LiveWrite(path: path, value: "\(node.pages)"))
          }
        }
      }
      if plan.sysctl.isEmpty {
        plan.sysctlRemovals = [
          sysctlRemoval("hugepages.mode: runtime reserves these pools at boot with \(HugePagesUnit.service)")
        ]
      }
      for write in plan.unitWrites {
        plan.liveWants.append(
          .init(
            address: ResourceAddress(.sysfs, write.path), path: write.path, value: write.value, origin: "hugepages",
            reason: "hugepages: reserved now, and at each boot by \(HugePagesUnit.service)"))
      }
    }
    plan.sysctlRemovals.append(mempolicyRemoval)
    return plan
  }

  /// The checks of "Done when": a supported size, existing nodes that keep their reserve,
  /// per-node counts at boot only on a kernel that reads them. Errors name the node.
  private mutating func checkHugePages(_ huge: HostSpec.HugePages, _ tuning: TuningFacts) -> Bool {
    var good = true
    func refuse(_ keyPath: String, _ summary: String, detail: String? = nil) {
      diagnostics.append(Diagnostic(.error, .hugePagesRefused, summary, detail: detail, keyPath: keyPath))
      good = false
    }
    let poolsKey = huge.pools.count > 1 || huge.writtenAsPools ? "hugepages.pools" : nil
    if huge.mode == .runtime, huge.defaultSizeKiB != nil {
      refuse(
        "hugepages.default_size", "the default page size is set at boot only (default_hugepagesz=)",
        detail: "Use hugepages.mode: boot, or leave default_size out.")
    }
    // The kernel rejects a default_hugepagesz= it cannot allocate and keeps 2M
    // (mm/hugetlb.c, default_hugepagesz_setup): the same checks as a pool's size.
    if let size = huge.defaultSizeKiB {
      if size == 1_048_576, tuning.gigantic == false {
        refuse(
          "hugepages.default_size",
          "default_hugepagesz=1G needs the CPU flag pdpe1gb, which this CPU lacks: the kernel would keep 2M",
          detail: supported(tuning))
      } else if !tuning.supportedSizesKiB.isEmpty, !tuning.supportedSizesKiB.contains(size) {
        refuse(
          "hugepages.default_size", "this host has no \(HostSpec.sizeText(kibibytes: size)) pages",
          detail: supported(tuning))
      }
    }
    for pool in huge.pools {
      let size = HostSpec.sizeText(kibibytes: pool.sizeKiB)
      let sizeKey = poolsKey ?? "hugepages.size"
      if pool.sizeKiB == 1_048_576, tuning.gigantic == false {
        refuse(sizeKey, "1G pages need the CPU flag pdpe1gb, which this CPU lacks", detail: supported(tuning))
      } else if !tuning.supportedSizesKiB.isEmpty, !tuning.supportedSizesKiB.contains(pool.sizeKiB) {
        refuse(sizeKey, "this host has no \(size) pages", detail: supported(tuning))
      }
      if pool.sizeKiB == 1_048_576, huge.mode == .runtime {
        diagnostics.append(
          Diagnostic(
            .warning, .hugePagesAtRuntime,
            "1G pages reserved at runtime often fail: the kernel needs 1 GiB of contiguous free memory per page",
            detail: "Use hugepages.mode: boot to reserve them before memory fragments.", keyPath: "hugepages.mode"))
      }
      if case .perNode(let nodes) = pool.count {
        for node in nodes where !tuning.nodes.contains(where: { $0.id == node.node }) {
          refuse(
            poolsKey ?? "hugepages.count.\(node.written)",
            "NUMA node \(node.written) does not exist: this host has node\(tuning.nodes.count == 1 ? "" : "s") "
              + tuning.nodes.map { "\($0.id)" }.joined(separator: ", "))
        }
        if huge.mode == .boot, tuning.nextKernelIsAtLeast(5, 16) != true {
          let kernel = tuning.nextKernel.map { "the next boot starts \($0)" } ?? "the next boot's kernel is unknown"
          refuse(
            poolsKey ?? "hugepages.count",
            "per-node counts at boot (hugepages=0:N,1:N) need Linux 5.16 or later, and \(kernel)",
            detail: "Give a total count, or use hugepages.mode: runtime.")
        }
      }
    }
    // The kernel spreads a total over the nodes that have memory (a memory-less node, a
    // Threadripper 2990WX's CPU-only die, gets none).
    let spread = max(tuning.nodes.filter { $0.memTotalKiB != 0 }.count, 1)
    for node in tuning.nodes {
      var requested = 0
      var parts: [String] = []
      for pool in huge.pools {
        let pages: Int =
          switch pool.count {
          case .total where node.memTotalKiB == 0: 0
          case .total(let total): total / spread + (total % spread == 0 ? 0 : 1)
          case .perNode(let nodes): nodes.first { $0.node == node.id }?.pages ?? 0
          }
        guard pages > 0 else { continue }
        if node.memTotalKiB == 0 {
          refuse(
            poolsKey ?? "hugepages.count.\(huge.writtenNode(node.id))",
            "NUMA node \(node.id) has no memory (its CPUs use other nodes' memory): it can hold no huge page")
          requested = 0
          break
        }
        // The parser keeps each pool's bytes within 63 bits; their sum saturates.
        let (kib, overflow) = pages.multipliedReportingOverflow(by: pool.sizeKiB)
        let (sum, past) = requested.addingReportingOverflow(kib)
        requested = overflow || past ? Int.max : sum
        parts.append("\(counted(pages, "page")) of \(HostSpec.sizeText(kibibytes: pool.sizeKiB))")
      }
      guard requested > 0 else { continue }
      guard let total = node.memTotalKiB else {
        diagnostics.append(
          Diagnostic(
            .warning, .hugePagesRefused, "cannot tell the memory of NUMA node \(node.id): its pages are not checked",
            keyPath: poolsKey ?? "hugepages.count"))
        continue
      }
      let reserve = huge.hostReserveKiB ?? max(total / 10, 1_048_576)
      let (available, below) = total.subtractingReportingOverflow(reserve)
      guard below || requested > available else { continue }
      let rule = huge.hostReserveKiB == nil ? "10 % of the node, at least 1 GiB" : "hugepages.host_reserve"
      let key: String
      if let poolsKey {
        key = poolsKey
      } else if case .perNode = huge.pools.first?.count {
        key = "hugepages.count.\(huge.writtenNode(node.id))"
      } else {
        key = "hugepages.count"
      }
      refuse(
        key,
        "NUMA node \(node.id) has \(ByteCount.human(kibibytes: total)) of memory: \(parts.joined(separator: " and ")) "
          + "(\(ByteCount.human(kibibytes: requested))) leave less than the \(ByteCount.human(kibibytes: reserve)) "
          + "the host keeps "
          + "(\(rule))")
    }
    return good
  }

  /// After the boot that used the arguments, the pools the kernel made: a node short of its
  /// pages (memory was not there) is a warning naming the node, its pages and the request.
  private mutating func checkBootedPools(
    _ huge: HostSpec.HugePages, _ arguments: [KernelArgument], _ tuning: TuningFacts
  ) {
    let running = (profile.runningCommandLine ?? "").split(separator: " ").map { KernelArgument(word: String($0)) }
    guard arguments.allSatisfy(running.contains) else { return }
    for pool in huge.pools {
      for node in tuning.nodes {
        let wanted: Int? =
          switch pool.count {
          case .total: nil
          case .perNode(let nodes): nodes.first { $0.node == node.id }?.pages
          }
        guard let wanted, let have = node.pool(sizeKiB: pool.sizeKiB)?.total, have != wanted else { continue }
        diagnostics.append(
          Diagnostic(
            .warning, .effectDiffers,
            "NUMA node \(node.id) holds \(counted(have, "page")) of \(HostSpec.sizeText(kibibytes: pool.sizeKiB)), "
              + "not the \(wanted) its boot arguments ask for (/sys/devices/system/node/node\(node.id)/hugepages/"
              + "\(HugePagePool.folder(sizeKiB: pool.sizeKiB))/nr_hugepages)",
            detail: "The kernel could not reserve them at boot; see virthost facts and the boot log.",
            keyPath: "hugepages.count.\(huge.writtenNode(node.id))"))
      }
    }
  }

  private func supported(_ tuning: TuningFacts) -> String {
    let sizes = tuning.supportedSizesKiB.map { HostSpec.sizeText(kibibytes: $0) }
    return sizes.isEmpty ? "The supported sizes are unknown." : "Supported here: \(sizes.joined(separator: ", "))."
  }
}

extension HostSpec.HugePages {
  /// The key of NUMA node `id` as written in a per-node count (`01`), or its number.
  fileprivate func writtenNode(_ id: Int) -> String {
    for pool in pools {
      if case .perNode(let nodes) = pool.count, let node = nodes.first(where: { $0.node == id }) { return node.written }
    }
    return "\(id)"
  }
}
