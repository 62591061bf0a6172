import Foundation
import RootFS

/// What a converged apply read, kept so that the next plan can know its file part without
/// parsing: the ``ReadTrace`` of the plan made right after the apply (which found nothing
/// left to change), the key it is valid for (virthost's version, the desired state, the
/// host's facts, which providers it covers) and what those providers returned (unchanged
/// resources, diagnostics, observations), replayed as they were.
///
/// Written by the applier (``Applier/keep(_:root:)``) only when an apply's own re-plan is
/// empty; read by the planner, which ignores a trace that fails any check
/// (``load(_:)``). Not a cache of anything live: providers of live values run every time.
public struct ConvergedTrace: Codable, Equatable, Sendable {
  /// The version of the file's format; a trace of another version is ignored.
  public static let formatVersion = 1
  /// Where the trace lives under the root.
  public static let path = "/var/lib/virthost/converged-trace.v1.json"

  /// What the trace is valid for: any difference, and it is not used.
  public struct Key: Codable, Equatable, Sendable {
    /// ``Engine/version``.
    public var virthostVersion: String
    /// The SHA-256 of the desired state's text (and of the bundled tuner's path).
    public var specDigest: String
    /// The digest of the host's facts as the planner read them (``HostProfile``).
    public var factsDigest: String
    /// Whether the root was the live host.
    public var isLive: Bool
    /// The positions of the traced providers among the plan's providers.
    public var traced: [Int]
  }

  /// One resource a traced provider returned, unchanged (a trace holds no operations).
  public struct Unchanged: Codable, Equatable, Sendable {
    public var address: ResourceAddress
    public var before: String?
    public var after: String?
    public var reason: String
    public var origin: String
  }

  /// What one traced provider returned.
  public struct Part: Codable, Equatable, Sendable {
    /// Its position among the plan's providers.
    public var index: Int
    /// Its resources, all unchanged.
    public var changes: [Unchanged]
    /// The diagnostics it reported, in order.
    public var diagnostics: [Diagnostic]
    /// What it recorded as read (the plan's `reads`).
    public var observations: [Observation]
  }

  /// ``formatVersion`` when written.
  public var formatVersion: Int
  /// What the trace is valid for.
  public var key: Key
  /// Every read of the root the traced providers made.
  public var reads: ReadTrace
  /// What each traced provider returned.
  public var parts: [Part]

  /// Whether the trace can stand for its providers: every resource unchanged and no error.
  public var isConverged: Bool {
    parts.allSatisfy { !$0.diagnostics.contains { $0.severity == .error } }
  }

  /// The trace under `root` when it passes every check: a regular file (not a symlink)
  /// in a folder reached without links, owned by root (or by the user running virthost,
  /// who could write it anyway) and writable by its owner only, of this format; otherwise
  /// why it is ignored.
  public static func load(_ root: HostRoot) -> Result<ConvergedTrace, Refusal> {
    guard let status = root.status(path, followingLinks: false) else {
      return .failure(Refusal("no trace of a converged apply"))
    }
    let folder = String(path[..<path.lastIndex(of: "/")!])
    guard status.kind == .regular, root.resolve(folder) == folder else {
      return .failure(Refusal("the trace \(path) is not a regular file inside the root; ignored"))
    }
    guard status.owner == 0 || status.owner == geteuid(), status.mode & 0o022 == 0 else {
      return .failure(Refusal("the trace \(path) is not owned and writable by root alone; ignored"))
    }
    guard let bytes = try? root.read(path),
      let trace = try? JSONDecoder().decode(ConvergedTrace.self, from: Data(bytes)),
      trace.formatVersion == formatVersion
    else {
      return .failure(Refusal("the trace \(path) cannot be read; ignored"))
    }
    return .success(trace)
  }

  /// Why a trace was not used, in words.
  public struct Refusal: Error, Sendable, Equatable {
    /// The reason.
    public var reason: String
    init(_ reason: String) { self.reason = reason }
  }

  /// Checks the trace against what a plan is about to do: the same key, then every
  /// recorded read answered the same under `root`. `nil` when the trace holds; the
  /// reason otherwise.
  public func refusal(for key: Key, in root: HostRoot) -> Refusal? {
    if key.virthostVersion != self.key.virthostVersion {
      return Refusal("the trace was made by virthost \(self.key.virthostVersion)")
    }
    if key.specDigest != self.key.specDigest { return Refusal("the desired state changed since the converged apply") }
    if key.factsDigest != self.key.factsDigest { return Refusal("the host's facts changed since the converged apply") }
    if key.isLive != self.key.isLive || key.traced != self.key.traced {
      return Refusal("the plan's resources differ from the converged apply's")
    }
    if !isConverged { return Refusal("the trace holds errors") }
    if let mismatch = reads.mismatch(in: root) { return Refusal("\(mismatch) since the converged apply") }
    return nil
  }

  /// The JSON kept on disk (keys sorted).
  public func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array((try? encoder.encode(self)) ?? Data())
  }
}
