import Augeas
import Foundation
import RootFS

/// Plans one desired state on many hosts in one process: each subfolder of a
/// directory is a host's root.
///
/// The desired state is parsed once, and the hosts are planned one after the
/// other with one ``AugeasHandlePool`` bound, so every lens is compiled once for
/// the whole fleet instead of once per host; each host's files are still read
/// from its own root. A host whose plan fails (a file Augeas cannot parse, a
/// precondition) gets a plan with error diagnostics, and the others go on.
/// Not for applying: apply one host at a time.
public struct Fleet: Sendable {
  /// One host: its name (the subfolder's) and its root directory.
  public struct Host: Sendable, Equatable {
    /// The subfolder's name.
    public var name: String
    /// The host's root.
    public var root: HostRoot
  }

  /// The directory whose subfolders are the hosts' roots.
  public var directory: String
  /// The `virthost-ksmtuned` program that `tuner: bundled` installs, when there is one.
  public var bundledTuner: String?
  /// Whether changed files are rendered (``Planner/rendersFiles``).
  public var rendersFiles = true
  /// Whether each host's converged trace is checked first (``Planner/usesTrace``).
  public var usesTrace = true

  /// A fleet of the subfolders of `directory`.
  public init(directory: String, bundledTuner: String? = nil) {
    self.directory = directory
    self.bundledTuner = bundledTuner
  }

  /// The hosts, by name: every subfolder of ``directory`` (symlinks to folders
  /// included, hidden ones left out).
  /// - Throws: when the directory cannot be listed.
  public func hosts() throws(HostRootError) -> [Host] {
    // The fleet's folder is listed as a root of its own; each subfolder (a link to one
    // followed) is a host's root, and anything that is not a folder is left out.
    let fleet = try HostRoot(directory)
    return try fleet.list("/").compactMap { name in
      (try? fleet.root(at: "/" + name)).map { Host(name: name, root: $0) }
    }
  }

  /// Plans `spec` (parsed from `specText`, read from `specFile`) on every host,
  /// in order, and hands each plan to `report` as soon as it is made (plans are
  /// not kept).
  public func plan(
    _ spec: HostSpec, specText: String, specFile: String, hosts: [Host], report: (Host, Plan) -> Void
  ) {
    AugeasHandlePool().run {
      for host in hosts {
        var planner = Planner(root: host.root, bundledTuner: bundledTuner)
        planner.rendersFiles = rendersFiles
        planner.usesTrace = usesTrace
        report(host, planner.plan(spec, specText: specText, specFile: specFile))
      }
    }
  }
}
