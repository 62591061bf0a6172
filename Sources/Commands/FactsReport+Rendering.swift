import Foundation
import HostConfig
import HostFacts

extension FactsReport {
  /// The report as the JSON document documented in docs/facts.md: keys sorted, indented
  /// by two spaces, ending with a newline.
  func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain values into JSON cannot fail.
    let data = try! encoder.encode(self)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The report for people: the facts grouped and aligned, each with its source, then
  /// the checks with their hints and a count of each level. ANSI colour only when
  /// `colour` is true.
  func text(colour: Bool) -> String {
    let style = TextStyle(enabled: colour)
    let groups = factGroups
    let labelWidth = groups.flatMap(\.rows).map(\.label.count).max() ?? 0
    let valueWidth = max(groups.flatMap(\.rows).map(\.value.count).filter { $0 <= 48 }.max() ?? 0, 40)
    var lines = ["Facts of \(root)"]
    for group in groups {
      lines.append("")
      lines.append(style.bold(group.title))
      for row in group.rows {
        let label = "  " + row.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
        let values = row.wraps ? Self.wrap(row.value, width: valueWidth) : [row.value]
        let first = values.first ?? ""
        if row.isUnknown {
          lines.append(label + style.yellow(first))
        } else if let source = row.source {
          let gap = String(repeating: " ", count: max(valueWidth - first.count, 0) + 2)
          lines.append(label + first + gap + style.dim(source))
        } else {
          lines.append(label + first)
        }
        let indent = String(repeating: " ", count: label.count)
        lines += values.dropFirst().map { indent + $0 }
      }
    }
    lines.append("")
    lines.append(style.bold("Checks"))
    let nameWidth = checks.map(\.name.count).max() ?? 0
    for check in checks {
      let name = check.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
      let level = style.level(check.level)
      lines.append("  \(level)  \(name)  \(check.message)")
      if let hint = check.hint {
        lines.append("  " + String(repeating: " ", count: 4 + 2 + nameWidth + 2) + style.dim("hint: \(hint)"))
      }
    }
    let counts = [ReadinessCheck.Level.pass, .warn, .fail].map { level in
      "\(checks.count { $0.level == level }) \(level.rawValue)"
    }
    lines.append("")
    lines.append(counts.joined(separator: ", "))
    return lines.joined(separator: "\n") + "\n"
  }

  private var factGroups: [FactGroup] {
    let cpu = facts.cpu
    let kernel = facts.kernel
    let iommu = facts.iommu
    let ksm = facts.ksm
    let memory = facts.memory
    let kvm = facts.kvm
    let boot = facts.boot
    var kernelRows = [FactRow("release", kernel.release) { $0 }]
    for option in KernelFacts.configOptions {
      kernelRows.append(FactRow(option, kernel.config(option), describe: Self.configValue))
    }
    kernelRows.append(FactRow("command line", kernel.cmdline, wraps: true) { $0.joined(separator: " ") })
    var iommuRows = [
      FactRow("firmware tables", iommu.firmwareTables) { $0.isEmpty ? "none" : $0.joined(separator: ", ") },
      FactRow("active", iommu.active, describe: Self.yesNo),
      FactRow("passthrough", iommu.passthrough, describe: Self.yesNo),
    ]
    if let lines = iommu.bootLog.value, !lines.isEmpty {
      for (index, line) in lines.enumerated() {
        iommuRows.append(
          FactRow(
            label: index == 0 ? "boot log" : "", value: line, source: index == 0 ? iommu.bootLog.source : nil,
            isUnknown: false))
      }
    } else {
      iommuRows.append(FactRow("boot log", iommu.bootLog) { _ in "no lines about the IOMMU" })
    }
    return [
      FactGroup(
        title: "CPU",
        rows: [
          FactRow("vendor", cpu.vendor) { vendor in
            let id = cpu.vendorID.value.map { $0.isEmpty ? "no vendor_id" : $0 } ?? ""
            return "\(Self.vendorName(vendor)) (\(id))"
          },
          FactRow("model", cpu.model) { $0.isEmpty ? "no model name" : $0 },
          FactRow("hardware virtualization", cpu.hardwareVirtualization, describe: Self.yesNo),
          FactRow("64-bit (lm)", cpu.longMode, describe: Self.yesNo),
          FactRow("processors", cpu.count) { "\($0)" },
          FactRow("NUMA nodes", cpu.numaNodes) { "\($0)" },
        ]),
      FactGroup(title: "Kernel", rows: kernelRows),
      FactGroup(title: "IOMMU", rows: iommuRows),
      FactGroup(
        title: "KSM",
        rows: [
          FactRow("run", ksm.run) { "\($0) (\(KSMFacts.meaning(ofRun: $0)))" },
          FactRow("pages_shared", ksm.pagesShared) { "\($0)" },
          FactRow("pages_sharing", ksm.pagesSharing) { "\($0)" },
          FactRow("pages_unshared", ksm.pagesUnshared) { "\($0)" },
          FactRow("pages_volatile", ksm.pagesVolatile) { "\($0)" },
          FactRow("pages_to_scan", ksm.pagesToScan) { "\($0)" },
          FactRow("sleep_millisecs", ksm.sleepMillisecs) { "\($0)" },
          FactRow("full_scans", ksm.fullScans) { "\($0)" },
          FactRow("merge_across_nodes", ksm.mergeAcrossNodes) { "\($0)" },
          FactRow("saved", ksm.savedBytes) { ByteCount.human($0) },
        ] + ksmCounterRows),
      FactGroup(
        title: "Memory",
        rows: [
          FactRow("MemTotal", memory.totalKiB, describe: Self.kibibytes),
          FactRow("free", memory.freeKiB, describe: Self.kibibytes),
          FactRow("HugePages_Total", memory.hugePagesTotal) { "\($0)" },
          FactRow("HugePages_Free", memory.hugePagesFree) { "\($0)" },
          FactRow("HugePages_Rsvd", memory.hugePagesReserved) { "\($0)" },
          FactRow("HugePages_Surp", memory.hugePagesSurplus) { "\($0)" },
          FactRow("Hugepagesize", memory.hugePageSizeKiB, describe: Self.kibibytes),
          FactRow("page size", memory.pageSizeBytes) { "\($0) B" },
          FactRow("numa_balancing", memory.numaBalancing) { "\($0)" },
        ]),
      FactGroup(
        title: "KVM",
        rows: [
          FactRow("/dev/kvm", kvm.device) { $0 ? "present" : "absent" },
          FactRow("module", kvm.module) { $0 },
          FactRow("module loaded", kvm.moduleLoaded, describe: Self.yesNo),
          FactRow("nested", facts.validate.nested.enabled, describe: Self.yesNo),
        ]),
      FactGroup(title: "PCI passthrough", rows: pciRows),
      FactGroup(title: "Devices and cgroups", rows: deviceRows),
      FactGroup(
        title: "Secure guests",
        rows: [
          FactRow("CPU flags", facts.validate.secureGuests.cpuFlags) {
            $0.isEmpty ? "none" : $0.joined(separator: " ")
          },
          FactRow("kvm_amd sev", facts.validate.secureGuests.sev, describe: Self.yesNo),
          FactRow("kvm_intel tdx", facts.validate.secureGuests.tdx, describe: Self.yesNo),
        ]),
      FactGroup(
        title: "Boot loader",
        rows: [
          FactRow("loader", boot.loader) { $0 },
          FactRow("configured arguments", boot.configuredArguments, wraps: true) { $0.joined(separator: " ") },
          FactRow("pending arguments", boot.pendingArguments) { $0.isEmpty ? "none" : $0.joined(separator: " ") },
          FactRow("reboot pending", boot.rebootPending, describe: Self.yesNo),
          FactRow("coverage", boot.coverage, wraps: true) { Self.describe($0) },
          FactRow("next boot", boot.nextEntry, wraps: true) { Self.describe($0) },
        ] + (boot.proxmoxESPs.map { [FactRow("Proxmox ESPs", $0, wraps: true) { Self.describe($0) }] } ?? [])),
      FactGroup(title: "Services", rows: serviceRows),
      FactGroup(title: "libvirt", rows: libvirtRows),
      FactGroup(title: "NUMA and huge pages", rows: numaRows),
      FactGroup(
        title: "CPU isolation",
        rows: [
          FactRow("online CPUs", facts.cpuIsolation.online) { $0.description },
          FactRow("SMT siblings", facts.cpuIsolation.threadSiblings) {
            $0.isEmpty ? "none" : $0.map(\.description).joined(separator: " ")
          },
          FactRow("isolated", facts.cpuIsolation.isolated) { $0.isEmpty ? "none" : $0.description },
          FactRow("nohz_full", facts.cpuIsolation.nohzFull) { $0.isEmpty ? "none" : $0.description },
          FactRow("running arguments", facts.cpuIsolation.arguments) {
            $0.isEmpty ? "none" : $0.joined(separator: " ")
          },
          FactRow("systemd CPUAffinity", facts.cpuIsolation.systemdCPUAffinity) { $0.isEmpty ? "unset" : $0 },
          FactRow("irqbalance banned", facts.cpuIsolation.irqbalanceBanned) { $0.isEmpty ? "unset" : $0 },
        ]),
    ]
      + (guests.map { [FactGroup(title: "Guests (libvirt domains)", rows: Self.guestRows($0, unread: guestsUnread))] }
        ?? [])
  }

  /// Per domain its placement in one line with its file, then what does not fit the host.
  private static func guestRows(_ guests: [DomainPlacement], unread: String?) -> [FactRow] {
    var rows: [FactRow] = []
    if let unread { rows.append(FactRow(label: "running", value: "unknown: \(unread)", source: nil, isUnknown: true)) }
    if guests.isEmpty {
      return rows + [FactRow(label: "domains", value: "none defined", source: nil, isUnknown: false)]
    }
    for guest in guests {
      if let error = guest.error {
        rows.append(FactRow(label: guest.name, value: "unreadable: \(error)", source: nil, isUnknown: true))
        continue
      }
      let pins = guest.vcpuAffinity.map { $0 ?? "any" }
      let unpinned = guest.vcpuAffinity.allSatisfy { $0 == nil }
      let backing = guest.hugePageSizesKiB.map { $0 == 0 ? "huge pages" : ByteCount.human(kibibytes: $0) + " pages" }
      var parts: [String] = []
      if let running = guest.running { parts.append(running ? "running" : "shut off") }
      parts.append("\(guest.vcpus ?? 0) vCPUs " + (unpinned ? "unpinned" : "on " + pins.joined(separator: " ")))
      parts.append("emulator \(guest.emulator ?? "any")")
      let memory = guest.memoryNodes.map { "node \($0) \(guest.memoryMode ?? "strict")" } ?? "any node"
      parts.append("memory " + memory)
      parts.append(backing.isEmpty ? "normal pages" : backing.joined(separator: ", "))
      parts.append("cpu \(guest.cpuMode ?? "default")")
      if let manager = guest.manager { parts.append("managed by \(manager)") }
      if let live = guest.liveVcpuAffinity {
        parts.append("live vCPUs on \(live.joined(separator: " ")), emulator on \(guest.liveEmulator ?? "any")")
      }
      let value = parts.joined(separator: "; ")
      let source = guest.libvirtURI ?? guest.file
      rows.append(FactRow(label: guest.name, value: value, source: source, isUnknown: false, wraps: true))
      for finding in guest.findings {
        rows.append(FactRow(label: "", value: "! \(finding)", source: nil, isUnknown: true, wraps: true))
      }
    }
    return rows
  }

  /// Per NUMA node its CPUs, memory and pools, then the global pools, sizes and THP mode.
  private var numaRows: [FactRow] {
    let huge = facts.hugePages
    var rows: [FactRow] = []
    let nodes = facts.numa.nodes
    if let known = nodes.value {
      for node in known {
        let memory = node.memTotalKiB.map { ByteCount.human(kibibytes: $0) } ?? "unknown"
        let free = node.memFreeKiB.map { ByteCount.human(kibibytes: $0) } ?? "unknown"
        rows.append(
          FactRow(
            label: "node\(node.id)",
            value: "CPUs \(node.cpus), \(memory) (\(free) free), pages \(Self.describe(node.hugePages))",
            source: "/sys/devices/system/node/node\(node.id)", isUnknown: false))
      }
    } else {
      rows.append(FactRow("nodes", nodes) { _ in "" })
    }
    rows.append(FactRow("huge page pools", huge.pools) { Self.describe($0) })
    rows.append(
      FactRow("supported sizes", huge.pools) { _ in
        huge.supportedSizesKiB.map { ByteCount.human(kibibytes: $0) }.joined(separator: " ")
      })
    rows.append(FactRow("1 GiB pages (pdpe1gb)", huge.gigantic, describe: Self.yesNo))
    rows.append(FactRow("transparent huge pages", huge.transparentMode) { $0 })
    return rows
  }

  /// `2 MiB: 8/8 free` per pool, `none` without pools.
  private static func describe(_ pools: [HugePagePool]) -> String {
    let used = pools.filter { $0.total > 0 || $0.surplus > 0 }
    if used.isEmpty { return "none" }
    return used.map { "\(ByteCount.human(kibibytes: $0.sizeKiB)): \($0.total) (\($0.free) free)" }.joined(
      separator: ", ")
  }

  /// The counters of kernel 6.x's KSM, only those the kernel has.
  private var ksmCounterRows: [FactRow] {
    let counters = facts.validate.ksmCounters
    var rows = KSMCounters.names.compactMap { name in counters.counters[name].map { FactRow(name, $0) { "\($0)" } } }
    if let mode = counters.advisorMode { rows.append(FactRow("advisor_mode", mode) { $0 }) }
    return rows
  }

  /// Each PCI device (IDs, class, driver, IOMMU group and its peers), interrupt remapping,
  /// the devices the host boots from, and the KVM modules' live parameters.
  private var pciRows: [FactRow] {
    let pci = facts.pci
    var rows: [FactRow] = []
    if let devices = pci.devices.value, !devices.isEmpty {
      for (index, device) in devices.enumerated() {
        var value = "[\(device.ids)] \(device.pciClass?.description ?? "class unknown"), "
        value += device.driver.map { "driver \($0)" } ?? "no driver"
        if let group = device.iommuGroup {
          value += ", group \(group)"
          if !device.groupPeers.isEmpty { value += " with \(device.groupPeers.joined(separator: " "))" }
        }
        rows.append(
          FactRow(
            label: device.address, value: value, source: index == 0 ? pci.devices.source : nil, isUnknown: false))
      }
    } else {
      rows.append(FactRow("devices", pci.devices) { _ in "none" })
    }
    for (index, device) in pci.passthrough.enumerated() {
      let how = device.selection == .twin ? "twin, stays with the host" : "vfio-pci by \(device.selection.rawValue)"
      let value =
        "[\(device.ids)] \(how), driver \(device.driver ?? "none"), group \(device.iommuGroup ?? "none")"
        + (device.bootDevice.map { ", \($0)" } ?? "")
      rows.append(
        FactRow(
          label: "passthrough \(device.address)", value: value,
          source: index == 0 ? "\(pci.vfioIDs.source), \(pci.vfioAddresses.source)" : nil, isUnknown: false))
    }
    rows.append(FactRow("interrupt remapping", pci.interruptRemapping, describe: Self.yesNo))
    let boot = pci.bootDevices
    for (label, fact) in [
      ("root file system on", boot.rootFileSystem), ("console on", boot.console),
      ("default route on", boot.defaultRoute),
    ] {
      rows.append(FactRow(label, fact) { $0.isEmpty ? "no PCI device" : $0.joined(separator: ", ") })
    }
    rows.append(FactRow("kvm vendor module", facts.kvmModules.vendorModule) { $0 })
    for (module, parameters) in (facts.kvmModules.parameters.value ?? [:]).sorted(by: { $0.key < $1.key }) {
      let value = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
      rows.append(
        FactRow(
          label: "\(module) parameters", value: value.isEmpty ? "none" : value,
          source: "/sys/module/\(module)/parameters", isUnknown: false, wraps: true))
    }
    return rows
  }

  /// The device nodes QEMU opens, and the cgroup layout and controllers libvirt uses.
  private var deviceRows: [FactRow] {
    let validate = facts.validate
    var rows = [validate.devices.kvm, validate.devices.vhostNet, validate.devices.tun, validate.devices.sev].map {
      node in
      FactRow(node.path, node.present) { present in
        guard present else { return "absent" }
        return "present" + (node.permissions.value.map { " (\($0))" } ?? "")
      }
    }
    rows.append(FactRow("cgroup layout", validate.cgroups.layout) { $0 })
    for name in CgroupFacts.required {
      if let fact = validate.cgroups.controllers[name] {
        rows.append(FactRow("cgroup \(name)", fact, describe: Self.yesNo))
      }
    }
    return rows
  }

  /// Per service, its enablement at boot and whether it runs.
  private var serviceRows: [FactRow] {
    let services = facts.services
    var rows = [FactRow("init system", services.initSystem) { $0 }]
    for (name, service) in [("ksm", services.ksm)] + services.tuners { rows += Self.rows(name, service) }
    return rows
  }

  /// A service's enablement at boot and whether it runs.
  private static func rows(_ name: String, _ service: ServiceFacts) -> [FactRow] {
    [
      FactRow("\(name) at boot", service.enabled) { enabled in
        guard service.exists.value == true else { return "not installed" }
        let state = service.masked.value == true ? "masked" : enabled ? "enabled" : "disabled"
        let detail = service.detail.value ?? ""
        return detail.hasPrefix(state) ? detail : "\(state) (\(detail))"
      },
      FactRow("\(name) running", service.running, describe: Self.yesNo),
    ]
  }

  /// The daemon mode in use, each daemon, and the QEMU driver's restart state.
  private var libvirtRows: [FactRow] {
    let libvirt = facts.libvirt
    return [FactRow("daemon mode", libvirt.mode) { $0 }] + Self.rows("libvirtd", libvirt.libvirtd)
      + Self.rows("virtqemud", libvirt.virtqemud) + [
        FactRow("restart owed", libvirt.restartOwed, describe: Self.yesNo),
        FactRow("guests on old settings", libvirt.guestsOnOldSettings) {
          $0.isEmpty ? "none" : $0.joined(separator: ", ")
        },
      ]
  }

  /// `text` cut at blanks into lines of at most `width` characters (a longer word stays whole).
  private static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty, line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    return lines + [line]
  }

  private static func yesNo(_ value: Bool) -> String { value ? "yes" : "no" }

  /// The arguments whose sources or running kernel disagree, in the shared vocabulary
  /// (pending regeneration, pending reboot); `every source and the running kernel agree` else.
  /// The next boot's entry: its title and what it starts.
  private static func describe(_ entry: NextBootEntry) -> String {
    switch entry.image {
    case .linux: "\(entry.title): kernel \(entry.kernel ?? "?")"
    case .uki: "\(entry.title): a unified kernel image (its command line is built in)"
    case .other: "\(entry.title): no Linux kernel virthost can name"
    }
  }

  /// Each Proxmox ESP: its UUID, the boot loader it runs (or "unknown") and what decided it.
  private static func describe(_ esps: [ProxmoxBoot.ESP]) -> String {
    if esps.isEmpty { return "none listed" }
    return esps.map { "\($0.uuid) \($0.mode?.rawValue ?? "unknown") (\($0.decidedBy))" }.joined(separator: "; ")
  }

  private static func describe(_ coverage: [ArgumentCoverage]) -> String {
    var parts: [String] = []
    for item in coverage {
      let lacking = item.sources.filter { !$0.value }.keys.sorted()
      if item.sourcesDisagree {
        parts.append("\(item.argument): pending regeneration (\(lacking.joined(separator: ", ")) lacks it)")
      } else if lacking.isEmpty, item.running == false {
        parts.append("\(item.argument): pending reboot")
      }
    }
    return parts.isEmpty ? "every source and the running kernel agree" : parts.joined(separator: "; ")
  }

  private static func kibibytes(_ value: Int) -> String { "\(value) kB (\(ByteCount.human(kibibytes: value)))" }

  private static func vendorName(_ vendor: CPUFacts.Vendor) -> String {
    switch vendor {
    case .amd: "AMD"
    case .intel: "Intel"
    case .unknown: "other"
    }
  }

  private static func configValue(_ value: String) -> String {
    switch value {
    case "y": "y (built in)"
    case "m": "m (module)"
    case "n": "n (not set)"
    default: value
    }
  }
}

/// A titled block of the text rendering.
private struct FactGroup {
  let title: String
  let rows: [FactRow]
}

/// One line of a fact group: a label, the value in words, and where it came from.
private struct FactRow {
  let label: String
  let value: String
  let source: String?
  let isUnknown: Bool
  /// Whether a long value is cut at blanks into lines as wide as the value column.
  var wraps = false

  init(label: String, value: String, source: String?, isUnknown: Bool, wraps: Bool = false) {
    self.label = label
    self.value = value
    self.source = source
    self.isUnknown = isUnknown
    self.wraps = wraps
  }

  /// A row for `fact`: its value in words, or `unknown: reason` with no source column
  /// (the reason names the source).
  init<Value>(_ label: String, _ fact: Fact<Value>, wraps: Bool = false, describe: (Value) -> String) {
    if let value = fact.value {
      self.init(label: label, value: describe(value), source: fact.source, isUnknown: false, wraps: wraps)
    } else {
      self.init(label: label, value: "unknown: \(fact.unknown ?? "")", source: nil, isUnknown: true)
    }
  }
}

/// ANSI styles, or plain text when disabled.
private struct TextStyle {
  let enabled: Bool

  func bold(_ text: String) -> String { wrap(text, "1") }
  func dim(_ text: String) -> String { wrap(text, "2") }
  func yellow(_ text: String) -> String { wrap(text, "33") }

  func level(_ level: ReadinessCheck.Level) -> String {
    switch level {
    case .pass: wrap(level.rawValue, "32")
    case .warn: wrap(level.rawValue, "33")
    case .fail: wrap(level.rawValue, "1;31")
    }
  }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
