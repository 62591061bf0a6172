import Editors
import Foundation
import HostConfig
import HostFacts
import RootFS

/// Each domain's placement as `/etc/libvirt/qemu/NAME.xml` says it (``DomainXML``), judged
/// against the running host's isolated CPUs, NUMA nodes and pools: what `virthost facts`
/// shows under Guests. Reads only; a definition it cannot read is shown with its error.
public enum DomainPlacementFacts {
  /// The placements of every domain under `root`; `nil` when the root has no `/etc/libvirt/qemu`.
  public static func read(_ root: HostRoot, facts: HostFacts) -> [DomainPlacement]? {
    guard root.isDirectory(DomainFiles.folder) else { return nil }
    let files = root.listIfPresent(DomainFiles.folder).filter { $0.hasSuffix(".xml") }.sorted()
    return files.map { file in
      let path = "\(DomainFiles.folder)/\(file)"
      var placement = DomainPlacement(name: String(file.dropLast(".xml".count)), file: path)
      do {
        guard let text = try root.text(path) else { return placement }
        let definition = try DomainXML(text: text, file: path).definition()
        fill(&placement, definition, facts: facts)
      } catch {
        placement.error = "\(error)"
      }
      return placement
    }
  }

  /// `placement` with what `definition` says and how it fits the host of `facts`.
  static func fill(_ placement: inout DomainPlacement, _ definition: DomainDefinition, facts: HostFacts) {
    placement.vcpus = definition.vcpus
    placement.memoryKiB = definition.memoryKiB
    placement.vcpuAffinity = (0..<(definition.vcpus ?? 0)).map { definition.vcpuPins[$0] }
    placement.emulator = definition.emulatorPin
    placement.memoryNodes = definition.memoryNodeset
    placement.memoryMode = definition.memoryMode
    placement.hugePageSizesKiB =
      definition.hugePages ? (definition.hugePageSizesKiB.isEmpty ? [0] : definition.hugePageSizesKiB) : []
    placement.cpuMode = definition.cpuMode
    placement.manager = definition.manager
    placement.findings = findings(definition, facts: facts)
  }

  /// What does not fit: vCPUs unpinned or on housekeeping CPUs while the host isolates some,
  /// the emulator on isolated CPUs, memory from another node than the vCPUs, a pool too small.
  static func findings(_ definition: DomainDefinition, facts: HostFacts) -> [String] {
    var result: [String] = []
    let isolated = facts.cpuIsolation.isolated.value.flatMap { $0.isEmpty ? nil : $0 }
    let nodes = facts.numa.nodes.value ?? []
    let vcpus = definition.vcpus ?? 0
    var cpus: [Int] = []
    if let isolated {
      let unpinned = (0..<vcpus).filter { definition.vcpuPins[$0] == nil }
      if !unpinned.isEmpty {
        result.append(
          "vCPU \(CPUList(unpinned)) not pinned: it runs on any CPU, housekeeping ones included (isolated: \(isolated))"
        )
      }
    }
    for vcpu in definition.vcpuPins.keys.sorted() {
      guard let set = try? CPUList(parsing: definition.vcpuPins[vcpu]!) else { continue }
      cpus += set.cpus
      if let isolated, !set.subtracting(isolated).isEmpty {
        result.append("vCPU \(vcpu) may run on housekeeping CPUs \(set.subtracting(isolated)) (isolated: \(isolated))")
      }
    }
    if let isolated, let emulator = definition.emulatorPin.flatMap({ try? CPUList(parsing: $0) }) {
      let shared = emulator.cpus.filter { isolated.contains($0) }
      if !shared.isEmpty { result.append("the emulator may run on isolated CPUs \(CPUList(shared))") }
    }
    let cpuNodes = Set(nodes.filter { node in cpus.contains { node.cpus.contains($0) } }.map(\.id))
    let memoryNodes = definition.memoryNodeset.flatMap { try? CPUList(parsing: $0) }.map { Set($0.cpus) }
    if let memoryNodes, !cpuNodes.isEmpty, memoryNodes != cpuNodes {
      result.append(
        "memory from node \(CPUList(memoryNodes.sorted())), vCPUs on node \(CPUList(cpuNodes.sorted()))")
    }
    for size in definition.hugePageSizesKiB {
      let pages = ((definition.memoryKiB ?? 0) + size - 1) / size
      let held = (memoryNodes ?? Set(nodes.map(\.id))).sorted()
      let reserved = nodes.filter { held.contains($0.id) }.reduce(0) { $0 + ($1.pool(sizeKiB: size)?.total ?? 0) }
      if pages > reserved {
        result.append(
          "needs \(pages) pages of \(HostSpec.sizeText(kibibytes: size)) on node \(CPUList(held)); "
            + "the pool there holds \(reserved)")
      }
    }
    return result
  }
}
