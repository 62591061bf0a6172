import Editors

/// One thing an apply does, in the order its change lists them: the whole work list of a
/// ``ResourceChange`` (the change's address, actions and values say what and why; its
/// operations say how).
///
/// ``Applier`` carries out every operation through one `switch`, phase by phase (see
/// ``Phase``); the plan file saves each as a ``PlanDocument/Operation``.
public enum Operation: Sendable, Equatable {
  /// A file written, created or removed (``FileOperation/after`` `nil`), checked first
  /// against the bytes the plan read.
  case writeFile(FileOperation)
  /// A service's enablement links created or removed.
  case setLinks(service: String, enabled: Bool, links: [LinkChange])
  /// A service the plan itself installs (its unit or init script), enabled once it is
  /// installed: its links are computed at apply time.
  case enableInstalled(service: String)
  /// The boot loader's generated configuration regenerated from its sources, once after
  /// every file (``Plan/regeneration`` names the program and outputs).
  case regenerateBootLoader
  /// A program run on the live host after every file (an initramfs rebuilt); pending on another root.
  case runAfterFiles(HostCommand)
  /// A program run on the live host right after the links before it in the change (the
  /// `insserv NAME` update-rc.d runs after renaming a script's rc links); pending on another root.
  case runAfterLinks(HostCommand)
  /// A service started now (live hosts only).
  case startService(String)
  /// A service stopped now (live hosts only).
  case stopService(String)
  /// A running daemon restarted so that it reads the files this plan wrote (live hosts only;
  /// pending on another root), after every start and stop.
  case restartService(String)
  /// A value written in place to a file under `/sys` or `/proc/sys`.
  case writeLive(LiveWrite)
  /// A libvirt domain defined anew with changed XML: only libvirt defines domains, never a
  /// write of its files. On another root than `/` (``DomainTarget/refused(_:)``) apply shows
  /// the step and skips it.
  case defineDomain(DomainDefinitionChange)
  /// A setting of a running domain changed in the running guest (its pins, its balloon),
  /// after its definition.
  case changeRunningDomain(RunningDomainChange)

  /// The order in which an apply takes operations: every file first, then the programs that
  /// read them, then services, then live values.
  public enum Phase: Int, Sendable, CaseIterable, Comparable {
    case files, programs, bootLoader, services, live, domains, runningDomains

    public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// When the operation runs.
  public var phase: Phase {
    switch self {
    case .writeFile: .files
    case .runAfterFiles: .programs
    case .regenerateBootLoader: .bootLoader
    case .setLinks, .enableInstalled, .runAfterLinks, .startService, .stopService, .restartService: .services
    case .writeLive: .live
    case .defineDomain: .domains
    case .changeRunningDomain: .runningDomains
    }
  }
}

extension ResourceChange {
  /// The files written, in order.
  public var files: [FileOperation] {
    operations.compactMap { if case .writeFile(let file) = $0 { file } else { nil } }
  }

  /// The enablement links created or removed.
  public var links: [LinkChange] {
    operations.flatMap { operation -> [LinkChange] in
      if case .setLinks(_, _, let links) = operation { links } else { [] }
    }
  }

  /// The live values written, in order.
  public var liveWrites: [LiveWrite] {
    operations.compactMap { if case .writeLive(let write) = $0 { write } else { nil } }
  }

  /// The domains defined anew, in order.
  public var domainDefinitions: [DomainDefinitionChange] {
    operations.compactMap { if case .defineDomain(let change) = $0 { change } else { nil } }
  }

  /// The settings of a running domain changed in the running guest, in order.
  public var runningDomainChanges: [RunningDomainChange] {
    operations.compactMap { if case .changeRunningDomain(let change) = $0 { change } else { nil } }
  }

  /// Whether this is a domain's definition that apply does not make here (``DomainTarget/refused(_:)``).
  public var isDomainLeftToHost: Bool {
    address.kind == .domain
      && operations.allSatisfy { operation in
        if case .defineDomain(let definition) = operation { definition.refusal != nil } else { false }
      }
  }

  /// Whether only programs of the host make this change (``Operation/runAfterFiles``): another
  /// root leaves it to the host.
  public var onlyRunsHostCommands: Bool {
    !operations.isEmpty && operations.allSatisfy { if case .runAfterFiles = $0 { true } else { false } }
  }

  /// Whether the boot loader is regenerated after these files.
  public var regeneratesBootLoader: Bool { operations.contains(.regenerateBootLoader) }

  /// The service enabled once the plan has installed it, when so.
  public var enableAfterInstall: String? {
    operations.lazy.compactMap { if case .enableInstalled(let name) = $0 { name } else { nil } }.first
  }
}
