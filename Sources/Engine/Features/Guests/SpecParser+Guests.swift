import Editors
import HostConfig
import Yams

extension SpecParser {
  static let guestKeys = ["vcpus", "emulator", "memory", "cpu", "memtune", "balloon", "force"]
  static let guestMemoryKeys = ["node", "hugepages", "mode"]
}

extension SpecParser.Reader {
  /// `guests: {NAME: {vcpus, emulator, memory, cpu, memtune, balloon, force}}`.
  mutating func guests(_ node: Node) -> HostSpec.Guests {
    var result = HostSpec.Guests()
    for (name, _, value) in entries(node, "guests", known: nil) {
      var guest = HostSpec.Guest(pattern: name)
      let base = "guests.\(name)"
      for (key, _, item) in entries(value, base, known: SpecParser.guestKeys) {
        let path = "\(base).\(key)"
        switch key {
        case "vcpus":
          guard let text = scalar(item, path) else { continue }
          if text == "pinned" {
            guest.vcpus = .pinned
          } else if let list = cpuList(item, path, text, choice: "pinned") {
            guest.vcpus = .cpus(list)
          }
        case "emulator":
          guard let text = scalar(item, path) else { continue }
          if text == "housekeeping" {
            guest.emulator = .housekeeping
          } else if let list = cpuList(item, path, text, choice: "housekeeping") {
            guest.emulator = .cpus(list)
          }
        case "memory": guest.memory = guestMemory(item, path)
        case "cpu": guest.cpuMode = choice(item, path, HostSpec.Guest.CPUMode.self)
        case "memtune":
          for (limit, _, amount) in entries(item, path, known: DomainTuning.limitNames) {
            if let kib = memoryAmount(amount, "\(path).\(limit)") { guest.limits.append((limit, kib)) }
          }
          guest.limits.sort {
            DomainTuning.limitNames.firstIndex(of: $0.name)! < DomainTuning.limitNames.firstIndex(of: $1.name)!
          }
        case "balloon": guest.balloonKiB = memoryAmount(item, path)
        default: guest.force = bool(item, path) ?? false
        }
      }
      result.entries.append(guest)
    }
    return result
  }

  /// `memory: {node: N | auto, hugepages: 1G | 2M, mode: strict}`.
  private mutating func guestMemory(_ node: Node, _ path: String) -> HostSpec.Guest.Memory {
    var memory = HostSpec.Guest.Memory()
    for (key, _, value) in entries(node, path, known: SpecParser.guestMemoryKeys) {
      let keyPath = "\(path).\(key)"
      switch key {
      case "node":
        guard let text = scalar(value, keyPath) else { continue }
        if text == "auto" { continue }
        guard let number = Int(text), number >= 0 else {
          error(value, keyPath, "must be a NUMA node number such as 0, or auto, not \"\(text)\"")
          continue
        }
        memory.node = .number(number)
      case "hugepages": memory.hugePageSizeKiB = size(value, keyPath)
      default: memory.mode = choice(value, keyPath, HostSpec.Guest.MemoryMode.self) ?? .strict
      }
    }
    return memory
  }

  /// A CPU list (`2-3,6`), or an error naming the `choice` word that is the other form.
  private mutating func cpuList(_ node: Node, _ path: String, _ text: String, choice: String) -> CPUList? {
    do {
      let list = try CPUList(parsing: text)
      if list.isEmpty { error(node, path, "names no CPU; write \(choice) or a list such as 2-3") }
      return list.isEmpty ? nil : list
    } catch {
      self.error(node, path, "must be \(choice) or a CPU list such as 2-3,6: \(error.message)")
      return nil
    }
  }

  /// An amount of memory (`4G`, `512M`), in KiB.
  private mutating func memoryAmount(_ node: Node, _ path: String) -> Int? {
    guard let text = scalar(node, path) else { return nil }
    switch HostSpec.amount(text) {
    case .kibibytes(let kib): return kib
    case .invalid: error(node, path, "must be an amount of memory such as 4G or 512M, not \"\(text)\"")
    case .tooLarge: error(node, path, Self.tooLarge(text))
    }
    return nil
  }
}
