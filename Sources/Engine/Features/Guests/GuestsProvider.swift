import Editors
import Foundation
import HostConfig

/// The `domain["NAME"]` resources of `guests:`: each domain's definition read from its
/// ``DomainSource``, the guests placed on the host (``GuestPlacement``), and the XML with the
/// elements virthost owns changed (``DomainXML``), shown as a diff. A refusal is an error at
/// its key in host.yaml and nothing is planned for any guest.
struct GuestsProvider: ResourceProvider {
  var guests: HostSpec.Guests
  var host: GuestPlacement.Host
  /// Where the definitions are read; `nil`: libvirt's API at the context's URI (the live
  /// root), else the files under the root.
  var source: (any DomainSource)?
  /// Where each key of `guests:` stands in host.yaml.
  var locations: [String: SourceLocation]

  var origin: String { "guests" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let source: any DomainSource =
      source ?? context.libvirtURI.map { LibvirtDomains(uri: $0, connector: context.libvirtConnector) } ?? DomainFiles()
    let entries = try source.definitions(in: context)
    let wanted = entries.filter { entry in guests.entries.contains { fnmatch($0.pattern, entry.name, 0) == 0 } }
    var documents: [String: DomainXML] = [:]
    var domains: [GuestPlacement.Domain] = entries.map { .init(name: $0.name, definition: DomainDefinition()) }
    for entry in wanted {
      let document = try DomainXML(text: entry.text, file: entry.path)
      documents[entry.name] = document
      let index = domains.firstIndex { $0.name == entry.name }!
      domains[index].definition = try document.definition()
    }
    let (placed, problems) = GuestPlacement.place(guests, domains: domains, host: host)
    for problem in problems {
      context.report(
        Diagnostic(
          problem.severity, .guestPlacementRefused, problem.summary, detail: problem.detail,
          keyPath: problem.keyPath, location: location(problem.keyPath)))
    }
    guard !problems.contains(where: { $0.severity == .error }) else { return [] }
    let target = source.target(in: context)
    var changes: [ResourceChange] = []
    for guest in placed {
      guard let document = documents[guest.domain], let entry = entries.first(where: { $0.name == guest.domain })
      else { continue }
      let after = try document.edited(guest.tuning)
      let before = try document.definition()
      let xml = FileOperation(path: entry.path, before: Data(entry.text.utf8), after: Data(after.utf8))
      let address = ResourceAddress(.domain, guest.domain)
      var operations: [Operation] = []
      if after != entry.text {
        operations.append(.defineDomain(DomainDefinitionChange(name: guest.domain, xml: xml, target: target)))
      }
      if let running = entry.running, case .libvirt(let uri) = target {
        let live = RunningGuestPlacement(domain: guest.domain, uri: uri, tuning: guest.tuning, running: running)
        operations += live.changes.map(Operation.changeRunningDomain)
        if let pending = live.pendingRestart(address: address) { context.report(pending) }
      }
      var change = ResourceChange(
        address, actions: operations.isEmpty ? [] : [.update],
        before: Self.words(before) + (entry.running.map { "; " + RunningGuestPlacement.words($0) } ?? ""),
        after: Self.words(guest.tuning, node: guest.node),
        reason: "guests.\(guest.entry) places \(guest.domain)" + (guest.node.map { " on node \($0)" } ?? ""),
        origin: "guests.\(guest.entry)")
      change.operations = operations
      changes.append(change)
    }
    let pending = changes.filter { !$0.domainDefinitions.isEmpty }.map(\.address.name)
    if !pending.isEmpty, case .refused(let refusal) = target {
      context.report(
        Diagnostic(
          .warning, .domainDefinitionPending,
          "apply does not define \(pending.joined(separator: ", ")): \(refusal)",
          detail: "The vCPU and emulator pins can change in a running guest; numatune, huge page backing, the CPU "
            + "mode and the balloon's size at boot take effect when the guest starts again (docs/guests.md)."))
    }
    return changes
  }

  /// The location of `keyPath`, or of the nearest key above it that host.yaml holds.
  private func location(_ keyPath: String) -> SourceLocation? {
    var path = keyPath
    while true {
      if let found = locations[path] { return found }
      guard let dot = path.lastIndex(of: ".") else { return nil }
      path = String(path[..<dot])
    }
  }

  /// The placement a definition has, in words.
  static func words(_ definition: DomainDefinition) -> String {
    let pins = definition.vcpuPins.keys.sorted().map { "\(definition.vcpuPins[$0]!)" }
    let pages = definition.hugePageSizesKiB.map { HostSpec.sizeText(kibibytes: $0) }
    return [
      "vcpus " + (pins.isEmpty ? "unpinned" : pins.joined(separator: " ")),
      "emulator \(definition.emulatorPin ?? "unpinned")",
      "memory " + (definition.memoryNodeset.map { "node \($0) \(definition.memoryMode ?? "strict")" } ?? "any node"),
      "backing "
        + (definition.hugePages
          ? (pages.isEmpty ? "huge pages" : pages.joined(separator: ",") + " pages")
          : "normal pages"),
      "cpu \(definition.cpuMode ?? "default")",
    ].joined(separator: "; ")
  }

  /// The placement `tuning` gives, in words.
  static func words(_ tuning: DomainTuning, node: Int?) -> String {
    var parts: [String] = []
    if let pins = tuning.vcpuPins { parts.append("vcpus " + pins.joined(separator: " ")) }
    if let emulator = tuning.emulatorPin { parts.append("emulator \(emulator)") }
    if let nodeset = tuning.memoryNodeset { parts.append("memory node \(nodeset) \(tuning.memoryMode ?? "strict")") }
    if let size = tuning.hugePageSizeKiB { parts.append("backing \(HostSpec.sizeText(kibibytes: size)) pages") }
    if let mode = tuning.cpuMode { parts.append("cpu \(mode)") }
    for limit in tuning.limits { parts.append("\(limit.name) \(limit.kibibytes) KiB") }
    if let balloon = tuning.currentMemoryKiB { parts.append("balloon \(balloon) KiB") }
    return parts.joined(separator: "; ")
  }
}
