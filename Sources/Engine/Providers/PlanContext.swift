import Foundation

/// What providers share while one plan is made: the root, the host's profile,
/// and the record of everything read and every diagnostic found.
///
/// One per plan; not shared across threads.
final class PlanContext {
  /// The host's root directory, without a trailing slash (`""` for `/`).
  let root: String
  /// The root as given.
  let rootPath: String
  /// What the engine knows of the host.
  let profile: HostProfile
  /// The `virthost-ksmtuned` program to install for `tuner: bundled`, when found.
  let bundledTuner: String?
  /// Whether changed files are rendered (``Planner/rendersFiles``).
  let rendersFiles: Bool
  /// Diagnostics found by providers.
  var diagnostics: [Diagnostic] = []
  /// Digests of what was read, by source.
  private(set) var observations: [String: String] = [:]

  init(root: String, profile: HostProfile, bundledTuner: String?, rendersFiles: Bool = true) {
    self.rendersFiles = rendersFiles
    rootPath = root
    var trimmed = root
    while trimmed.hasSuffix("/") { trimmed.removeLast() }
    self.root = trimmed
    self.profile = profile
    self.bundledTuner = bundledTuner
  }

  /// Whether the root is the running machine itself, where services can be started and stopped.
  var isLive: Bool { root.isEmpty }

  /// The absolute path of `path` (a path from the root).
  func hostPath(_ path: String) -> String { root + path }

  /// Records that `source` was read with the result `text` (`nil`: absent).
  func observe(_ source: String, _ text: String?) {
    observations[source] = Digest.of(text)
  }

  /// Records that `source` was read with the bytes `data`.
  func observe(_ source: String, data: Data?) {
    observations[source] = Digest.of(data)
  }

  /// Reads and records the bytes of the file `path` (from the root); `nil` when absent.
  func readFile(_ path: String) -> Data? {
    let data = FileManager.default.contents(atPath: hostPath(path))
    observe("file \(path)", data: data)
    return data
  }

  /// Reads and records a live value under `/sys` or `/proc/sys`, trimmed; `nil` when absent.
  func readLive(_ path: String) -> String? {
    let text = FileManager.default.contents(atPath: hostPath(path)).map {
      String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    observe("sysfs \(path)", text)
    return text
  }

  /// Adds a diagnostic.
  func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

  /// Every observation, sorted by source.
  var sortedObservations: [Observation] {
    observations.keys.sorted().map { Observation(source: $0, digest: observations[$0]!) }
  }
}
