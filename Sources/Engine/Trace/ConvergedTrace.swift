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
  public static let formatVersion = 3
  /// Where the trace lives under the root.
  public static let path = "/var/lib/virthost/converged-trace.v2.json"
  /// Where virthost 0.1.0 before the state formats v2 kept it (unauthenticated): never
  /// read, removed when a new trace is kept.
  public static let legacyPath = "/var/lib/virthost/converged-trace.v1.json"
  /// What ``SealedState`` names the file.
  public static let kind = "converged-trace"

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
    public var origins: [String]
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

  /// The trace under `root` when it passes every check, or why it is ignored: read as
  /// state (``HostRoot/readState(_:limit:)``: no link followed, every folder from the
  /// machine's `/` down and the file root's alone, judged by their descriptors), sealed by
  /// this machine's ``StateKey`` for this root (``SealedState``), of this format, and with
  /// reads to re-check. A trace made elsewhere (an image, a tarball, a copy of the root
  /// planned by another account) is "not written on this machine".
  public static func load(_ root: HostRoot) -> Result<ConvergedTrace, Refusal> {
    let bytes: [UInt8]
    do {
      bytes = try root.readState(path)
    } catch  where error.kind == .missing {
      if (try? root.readState(legacyPath)) != nil {
        return .failure(Refusal("the trace \(legacyPath) is of an earlier virthost's format; ignored"))
      }
      return .failure(Refusal("no trace of a converged apply"))
    } catch {
      return .failure(Refusal("\(error); the trace is ignored"))
    }
    let key: StateKey
    do {
      key = try StateKey.machine(creating: false)
    } catch {
      return .failure(Refusal("trace not written on this machine: no state key to authenticate it (\(error))"))
    }
    guard let sealed = SealedState.open(bytes, root: root, key: key), sealed.kind == kind else {
      return .failure(Refusal("the trace \(path) is not in virthost's format; ignored"))
    }
    guard sealed.isAuthentic else { return .failure(Refusal("trace not written on this machine")) }
    guard sealed.version == formatVersion,
      let trace = try? JSONDecoder().decode(ConvergedTrace.self, from: Data(sealed.payload)),
      trace.formatVersion == formatVersion
    else {
      return .failure(Refusal("the trace \(path) cannot be read; ignored"))
    }
    guard !trace.reads.records.isEmpty else { return .failure(Refusal("the trace records no reads; ignored")) }
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

  /// The JSON of the trace (keys sorted): the payload of the file kept on disk.
  public func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return Array((try? encoder.encode(self)) ?? Data())
  }

  /// The file kept on disk: ``encoded()`` sealed with `key` for `root`.
  public func sealed(for root: HostRoot, key: StateKey) -> [UInt8] {
    SealedState.seal(encoded(), kind: Self.kind, version: Self.formatVersion, root: root, key: key)
  }
}
