import Editors
import HostConfig

/// A running guest against its placement (pure): what libvirt can change in the running guest
/// (each vCPU's pin, the emulator's pin, the balloon), as steps of their own, and what waits
/// until the guest starts again (the huge page backing, the CPU mode, the memory node, memtune),
/// as a `guest-restart-pending` note.
struct RunningGuestPlacement {
  var domain: String
  var uri: String
  var tuning: DomainTuning
  var running: RunningDomain

  /// The settings to change in the running guest, in vCPU order, then the emulator, then the balloon.
  var changes: [RunningDomainChange] {
    var result: [RunningDomainChange] = []
    for (vcpu, text) in (tuning.vcpuPins ?? []).enumerated() {
      guard let wanted = try? CPUList(parsing: text), vcpu < running.vcpuPins.count,
        running.vcpuPins[vcpu] != wanted
      else { continue }
      result.append(change(.vcpuPin(vcpu), running.vcpuPins[vcpu].description, wanted.description))
    }
    if let text = tuning.emulatorPin, let wanted = try? CPUList(parsing: text), running.emulatorPin != wanted {
      result.append(change(.emulatorPin, running.emulatorPin.description, wanted.description))
    }
    if let balloon = tuning.currentMemoryKiB, let now = running.definition.currentMemoryKiB, now != balloon {
      result.append(change(.balloon, "\(now)", "\(balloon)"))
    }
    return result
  }

  private func change(_ setting: RunningDomainChange.Setting, _ before: String, _ after: String) -> RunningDomainChange
  {
    RunningDomainChange(domain: domain, uri: uri, setting: setting, before: before, after: after)
  }

  /// The elements the placement sets that the running guest does not have and cannot be given
  /// live, in libvirt's words.
  var waitingForRestart: [String] {
    let live = running.definition
    var result: [String] = []
    if let nodeset = tuning.memoryNodeset,
      live.memoryNodeset != nodeset || (live.memoryMode ?? "strict") != (tuning.memoryMode ?? "strict")
    {
      result.append("numatune/memory nodeset='\(nodeset)' mode='\(tuning.memoryMode ?? "strict")'")
    }
    if let size = tuning.hugePageSizeKiB, !live.hugePages || !live.hugePageSizesKiB.contains(size) {
      result.append("memoryBacking/hugepages/page size='\(size)' unit='KiB'")
    }
    if let mode = tuning.cpuMode, live.cpuMode != mode { result.append("cpu mode='\(mode)'") }
    for limit in tuning.limits where live.limitsKiB[limit.name] != limit.kibibytes {
      result.append("memtune/\(limit.name) \(limit.kibibytes) KiB")
    }
    return result
  }

  /// The note that the running guest keeps what it started with until it starts again, naming
  /// the elements; `nil` when nothing waits.
  func pendingRestart(address: ResourceAddress) -> Diagnostic? {
    let elements = waitingForRestart
    guard !elements.isEmpty else { return nil }
    return Diagnostic(
      .note, .guestRestartPending,
      "pending restart: guest '\(domain)' runs without \(elements.joined(separator: ", ")) until it starts again",
      detail: "libvirt changes these only in the definition; they take effect when the guest is shut down and "
        + "started (a reboot from inside the guest keeps the running QEMU process).",
      address: address)
  }

  /// A running guest's affinity in words, for the plan's `before`.
  static func words(_ running: RunningDomain) -> String {
    "running: vcpus \(running.vcpuPins.map(\CPUList.description).joined(separator: " ")); emulator \(running.emulatorPin)"
  }
}
