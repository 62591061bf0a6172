import Foundation

extension Engine {
  /// What rollback does with one domain of a backup (three versions: the XML before the
  /// apply, the XML libvirt held after it, the XML now).
  enum DomainRollback: Equatable {
    /// Define the XML of before again, then put back the running guest's settings.
    case redefine
    /// The definition is as before the apply: only the running guest's settings go back.
    case asBefore
    /// The apply did not define it: only the running guest's settings go back.
    case liveOnly
    /// Redefined since the apply: refused (the diff from what the apply left), unless forced.
    case changedSince(diff: String)
  }

  /// The decision for `domain`, whose inactive XML is `now`.
  static func decide(_ domain: BackupStore.Manifest.Domain, now: String, force: Bool) -> DomainRollback {
    guard let before = domain.xmlBefore, let written = domain.xmlWritten else { return .liveOnly }
    if now == before { return .asBefore }
    if now == written || force { return .redefine }
    let path = "/etc/libvirt/qemu/\(domain.name).xml"
    return .changedSince(
      diff: UnifiedDiff.of(FileOperation(path: path, before: Data(written.utf8), after: Data(now.utf8))))
  }

  /// Rolls back the domains of `manifest`, last first: each definition redefined with the XML
  /// it had before (``decide(_:now:force:)``), then the running guest's pins and balloon set
  /// back with the live flag; a guest no longer running keeps its restored definition.
  /// Returns the domains refused, with their diff.
  func rollBackDomains(
    _ manifest: BackupStore.Manifest, force: Bool, step: (String, () throws -> Void) throws(EngineError) -> Void,
    skip: (String, String) -> Void
  ) throws(EngineError) -> [RollbackReport.Refusal] {
    let connector = planner.libvirtConnector
    var refused: [RollbackReport.Refusal] = []
    for domain in (manifest.domains ?? []).reversed() {
      let current: (xml: String, running: Bool)
      do {
        current = try DomainSteps.current(domain.name, uri: domain.uri, connector)
      } catch {
        throw .rollback("rollback of domain \(domain.name) failed: \(error)")
      }
      switch Self.decide(domain, now: current.xml, force: force) {
      case .redefine:
        try step("define domain \(domain.name) as before the apply") {
          try DomainSteps.redefine(domain.name, xml: domain.xmlBefore ?? "", uri: domain.uri, connector)
        }
      case .asBefore:
        skip("define domain \(domain.name) as before the apply", "it is as it was before the apply")
      case .liveOnly: break
      case .changedSince(let diff):
        skip(
          "define domain \(domain.name) as before the apply",
          "it was defined again since the apply (diff below); --force defines it as before")
        refused.append(RollbackReport.Refusal(path: "domain \(domain.name)", detail: diff))
        continue
      }
      for change in domain.live.reversed().map(\.reversed) {
        guard current.running else {
          skip(change.words, "the guest no longer runs; it starts with its restored definition")
          continue
        }
        try step(change.words) { try DomainSteps.change(change, connector) }
      }
    }
    return refused
  }
}
