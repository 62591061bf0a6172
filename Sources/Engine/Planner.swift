import Augeas
import Editors
import Foundation
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

  /// Plans an already-parsed desired state.
  ///
  /// The Augeas trees of the providers share handles through the
  /// ``AugeasHandlePool`` the caller binds (apply and `plan --hosts` do, so that
  /// lenses are compiled once for several plans); without one, each tree opens
  /// and closes its own handle, so that one lens at a time is compiled.
  public func plan(_ spec: HostSpec, specText: String, specFile: String) -> Plan {
    let profile = profile(root)
    let context = PlanContext(host: root, profile: profile, bundledTuner: bundledTuner, rendersFiles: rendersFiles)
    context.observe(.facts, Self.digestText(of: profile))
    var expansion = Expansion(spec: spec, profile: profile)
    let providers = expansion.providers()
    var changes: [ResourceChange] = []
    for provider in providers {
      do {
        changes += try provider.changes(in: context)
      } catch {
        // A value the file cannot take (a file named, no line in it) is placed at its key in
        // the desired state; a problem inside a host file keeps that file's own position only.
        let location =
          error.file != nil && error.line == nil
          ? SpecParser.location(of: provider.origin, in: specText, file: specFile) : nil
        context.report(Diagnostic(.error, .hostFile, error.description, keyPath: provider.origin, location: location))
      }
    }
    var regeneration: Regeneration?
    if changes.contains(where: \.regeneratesBootLoader) {
      regeneration = try? BootLoaderEditor(root: root.path).regenerationCommand()
    }
    // A problem of a passthrough device or a module option is placed at its key in the file.
    let located = (expansion.diagnostics + context.diagnostics).map { diagnostic in
      var diagnostic = diagnostic
      if diagnostic.location == nil, let key = diagnostic.keyPath,
        [.passthroughDevice, .moduleConfigConflict, .moduleReload, .initramfs].contains(diagnostic.code)
      {
        diagnostic.location = SpecParser.location(of: key, in: specText, file: specFile)
      }
      return diagnostic
    }
    return Plan(
      root: root.path, specFile: specFile, specText: specText, changes: changes,
      diagnostics: located + TunedConflicts.diagnostics(spec, root: root),
      observations: context.sortedObservations,
      regeneration: regeneration)
  }

  private static func digestText(of profile: HostProfile) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(profile)) ?? Data(), as: UTF8.self)
  }
}
