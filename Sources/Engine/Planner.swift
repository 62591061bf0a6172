import Augeas
import Editors
import Foundation
import HostConfig
import RootFS

/// Makes a ``Plan``: reads the host through the providers the desired state
/// expands into and collects their changes, reads and diagnostics.
///
/// Reads only: nothing under the root is written while planning.
public struct Planner: Sendable {
  /// The host's root.
  public var root: HostRoot
  /// The `virthost-ksmtuned` program that `tuner: bundled` installs, when there is one.
  public var bundledTuner: String?
  /// Reads what the engine needs to know of the host at a root.
  public var profile: @Sendable (HostRoot) -> HostProfile
  /// Whether the new text of every changed file is rendered (the default). Off,
  /// a plan names the files that change without rendering them through their
  /// lens (Augeas's put direction, the most expensive part of a plan): enough
  /// to show it as text, not to diff, save or apply it.
  public var rendersFiles = true
  /// Whether the trace of the last converged apply is checked first (the converged fast
  /// path); off with `--no-cache`, and for the plans apply makes.
  public var usesTrace = true
  /// Whether the plan records what its traced providers read (``Plan/trace``): the plan an
  /// apply makes after writing, whose trace the applier keeps when it is empty.
  var recordsTrace = false
  /// What the QEMU driver's daemon answers about its guests' jobs, asked on the live host before
  /// a restart of it is planned: libvirt's API at `qemu:///system` unless a test gives another.
  public var guestJobs: any GuestJobSource = LibvirtGuestJobs()
  /// The libvirt whose domains `guests:` reads (read-only) and apply defines: `nil` (the
  /// default) is ``systemLibvirt`` on the live root and the files of `/etc/libvirt/qemu` on
  /// another root (defined on the host); a test gives libvirt's test driver.
  public var libvirtURI: String?
  /// How the domains' libvirt is opened (``LibvirtConnector/fresh`` unless a test gives another).
  public var libvirtConnector = LibvirtConnector.fresh
  /// The QEMU driver's system instance, `qemu:///system`.
  public static let systemLibvirt = "qemu:///system"
  /// Counts the full plans made (a test's probe; see ``PlanProbe``).
  var probe: PlanProbe?

  /// A planner for the host at `root`.
  public init(
    root: HostRoot, bundledTuner: String? = nil,
    profile: @escaping @Sendable (HostRoot) -> HostProfile = HostProfile.read(root:)
  ) {
    self.root = root
    self.bundledTuner = bundledTuner
    self.profile = profile
  }

  /// Plans the desired state in `specText` (read from `specFile`, named in positions).
  ///
  /// - Throws: ``SpecError`` when the desired state is invalid; nothing is read from the host then.
  public func plan(specText: String, specFile: String) throws(SpecError) -> Plan {
    let spec = try SpecParser.parse(specText, file: specFile)
    return plan(spec, specText: specText, specFile: specFile)
  }

  /// The codes of diagnostics about a key of the desired state that the planner places
  /// at that key when they come without a position.
  private static let keyedCodes: Set<Diagnostic.Code> = [
    .passthroughDevice, .moduleConfigConflict, .moduleReload, .initramfs, .commandLineTooLong, .moduleBuiltIn,
  ]

  /// Plans an already-parsed desired state.
  ///
  /// The Augeas trees of the providers share handles through the
  /// ``AugeasHandlePool`` the caller binds (apply and `plan --hosts` do, so that
  /// lenses are compiled once for several plans); without one, each tree opens
  /// and closes its own handle, so that one lens at a time is compiled.
  ///
  /// With ``usesTrace``, the ``ConvergedTrace`` of the last converged apply is checked
  /// first; when it holds, the providers it covers are not run (no file is parsed) and
  /// what they returned then is the plan's, and the others (live values) run as always.
  public func plan(_ spec: HostSpec, specText: String, specFile: String) -> Plan {
    plan(spec, specText: specText, specFile: specFile, reusing: nil)
  }

  /// Plans `spec`; with `earlier`, a plan of the same desired state whose traced providers
  /// were recorded (``recordsTrace``), their results are taken from it when its key and
  /// every read it recorded still hold under the root (apply's plan under the lock), and
  /// only the other providers (live values) run.
  func plan(_ spec: HostSpec, specText: String, specFile: String, reusing earlier: Plan?) -> Plan {
    // A plan writes nothing under the root: each folder on its paths is asked once whether it is a link.
    // What host.yaml declares of the boot loader holds for every read of it in this plan.
    HostRoot.withSteadyLinks {
      ProxmoxBoot.$declared.withValue(spec.proxmoxDeclaration) {
        planDeclared(spec, specText: specText, specFile: specFile, reusing: earlier)
      }
    }
  }

  /// ``plan(_:specText:specFile:reusing:)`` with the declarations bound.
  private func planDeclared(_ spec: HostSpec, specText: String, specFile: String, reusing earlier: Plan?) -> Plan {
    let profile = profile(root)
    let context = PlanContext(
      host: root, profile: profile, bundledTuner: bundledTuner, rendersFiles: rendersFiles, guestJobs: guestJobs,
      libvirtURI: libvirtURI, libvirtConnector: libvirtConnector)
    let needs = Expansion.facts(spec)
    let tuning = needs.contains(.tuning) ? TuningFacts.read(root) : nil
    // The NUMA layout and CPUs the checks used are facts too: a saved plan is refused on other ones.
    let nextKernel = needs.contains(.nextKernel) ? PassthroughKernel.read(root) : nil
    let libvirtDaemons = needs.contains(.libvirtDaemons) ? LibvirtDaemons.read(root) : nil
    let readFacts: [String?] = [tuning?.digestText, nextKernel?.digestText, libvirtDaemons?.digestText]
    let facts = ([Self.digestText(of: profile)] + readFacts.compactMap { $0 }).joined(separator: "\n")
    context.observe(.facts, facts)
    var expansion = Expansion(
      spec: spec, profile: profile, tuning: tuning, nextKernel: nextKernel, libvirtDaemons: libvirtDaemons)
    let providers = expansion.providers()
    let key = ConvergedTrace.Key(
      virthostVersion: Engine.version,
      specDigest: SHA256.hex(Array((specText + "\u{0}" + (bundledTuner ?? "")).utf8)),
      factsDigest: Digest(of: facts).description, isLive: root.isLive,
      traced: providers.indices.filter { providers[$0].isTraced(in: context) })
    let reused = earlier.flatMap { $0.reusableTrace(for: key, in: root) }
    let (saved, readPath) = reused == nil ? savedTrace(for: key) : (nil, .full("the plan shown still holds"))
    let recorder = recordsTrace && saved == nil && reused == nil ? ReadRecorder(root: root) : nil
    var parts: [ConvergedTrace.Part] = []
    var changes: [ResourceChange] = []
    var tracedChanges: [Int: [ResourceChange]] = [:]
    if !key.traced.isEmpty, saved == nil, reused == nil { probe?.countFullPlan() }
    for (index, provider) in providers.enumerated() {
      defer { context.plannedFiles = Set(changes.filter(\.isChange).flatMap(\.files).map(\.path)) }
      if let part = (reused ?? saved)?.trace.parts.first(where: { $0.index == index }) {
        let produced = reused?.changes[index] ?? part.changes.map(Self.change)
        changes += produced
        tracedChanges[index] = produced
        part.diagnostics.forEach(context.report)
        for observation in part.observations { context.observe(observation.source, observation.digest) }
        continue
      }
      guard let recorder, key.traced.contains(index) else {
        changes += run(provider, context, spec)
        continue
      }
      let (diagnostics, observations) = (context.diagnostics.count, context.observations)
      let produced = recorder.recording { run(provider, context, spec) }
      changes += produced
      tracedChanges[index] = produced
      parts.append(
        ConvergedTrace.Part(
          index: index,
          changes: produced.map {
            ConvergedTrace.Unchanged(
              address: $0.address, before: $0.before, after: $0.after, reason: $0.reason, origins: $0.origins)
          },
          diagnostics: Array(context.diagnostics[diagnostics...]),
          observations: context.sortedObservations.filter { observations[$0.source] != $0.digest }))
    }
    // A file a change replaces was read by what it changes: the bytes the change stands on are
    // the plan's read of it, whatever a second read (another apply writing meanwhile) saw.
    for file in changes.flatMap(\.files) { context.observe(.file(file.path), data: file.before) }
    var regeneration: Regeneration?
    if changes.contains(where: \.regeneratesBootLoader) {
      regeneration = try? BootLoaderEditor(root: root).regenerationCommand()
    }
    // A problem the desired state asks for is placed at its key in the file: the refusals of
    // the features that place their problems (``Feature/placesItsProblems``, in the expansion),
    // a passthrough device's or a module option's (by code).
    let located = (expansion.diagnostics + context.diagnostics).map { item in
      var diagnostic = item
      if diagnostic.location == nil, let key = diagnostic.keyPath, Self.keyedCodes.contains(diagnostic.code) {
        diagnostic.location = spec.location(of: key)
      }
      return diagnostic
    }
    var plan = Plan(
      root: root.path, specFile: specFile, specText: specText, changes: changes,
      diagnostics: located,
      observations: context.sortedObservations,
      regeneration: regeneration)
    plan.readPath = readPath
    if let recorder {
      plan.trace = ConvergedTrace(
        formatVersion: ConvergedTrace.formatVersion, key: key, reads: recorder.trace, parts: parts)
    } else if recordsTrace {
      plan.trace = (reused ?? saved)?.trace
    }
    if recordsTrace { plan.tracedChanges = tracedChanges }
    return plan
  }

  /// The trace that stands for the traced providers, when ``usesTrace`` and it holds;
  /// the read path the plan takes either way.
  private func savedTrace(for key: ConvergedTrace.Key) -> (Plan.Reusable?, ReadPath) {
    guard usesTrace else { return (nil, .full("--no-cache")) }
    if key.traced.isEmpty { return (nil, .full("no resource read from files")) }
    switch ConvergedTrace.load(root) {
    case .failure(let refusal): return (nil, .full(refusal.reason))
    case .success(let trace):
      if let refusal = trace.refusal(for: key, in: root) { return (nil, .full(refusal.reason)) }
      return (
        Plan.Reusable(trace: trace, changes: [:]),
        .converged("the trace of the last converged apply matches: \(trace.reads.summary) re-checked")
      )
    }
  }

  /// Runs one provider, its error reported as a diagnostic.
  private func run(_ provider: any ResourceProvider, _ context: PlanContext, _ spec: HostSpec)
    -> [ResourceChange]
  {
    do {
      return try provider.changes(in: context)
    } catch {
      // A value the file cannot take (a file named, no line in it) is placed at its key in
      // the desired state; a problem inside a host file keeps that file's own position only.
      let location =
        error.file != nil && error.line == nil
        ? spec.location(of: provider.origin) : nil
      context.report(Diagnostic(.error, .hostFile, error.description, keyPath: provider.origin, location: location))
      return []
    }
  }

  /// An unchanged resource of a trace, as the provider returned it.
  private static func change(_ unchanged: ConvergedTrace.Unchanged) -> ResourceChange {
    ResourceChange(
      unchanged.address, actions: [], before: unchanged.before, after: unchanged.after, reason: unchanged.reason,
      origins: unchanged.origins)
  }

  private static func digestText(of profile: HostProfile) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(profile)) ?? Data(), as: UTF8.self)
  }
}
