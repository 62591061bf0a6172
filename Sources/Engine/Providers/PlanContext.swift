import Foundation
import RootFS

/// What providers share while one plan is made: the root, the host's profile,
/// and the record of everything read and every diagnostic found.
///
/// One per plan; not shared across threads. Every host file a provider reads goes
/// through ``host`` (``readFile(_:)``, ``readLive(_:)``), so that it is recorded.
final class PlanContext {
  /// The host's root.
  let host: HostRoot
  /// What the engine knows of the host.
  let profile: HostProfile
  /// The `virthost-ksmtuned` program to install for `tuner: bundled`, when found.
  let bundledTuner: String?
  /// Whether changed files are rendered (``Planner/rendersFiles``).
  let rendersFiles: Bool
  /// Diagnostics found by providers.
  var diagnostics: [Diagnostic] = []
  /// The files the providers run so far plan to write, create or remove (the planner adds
  /// each provider's after it runs): what a later provider's restart depends on.
  var plannedFiles: Set<String> = []
  /// Digests of what was read, by source.
  private(set) var observations: [ObservationSource: Digest] = [:]

  /// What the QEMU driver's daemon answers about its guests' jobs (asked on the live host only).
  let guestJobs: any GuestJobSource
  /// The libvirt whose domains `guests:` reads and defines (``Planner/libvirtURI``); `nil`:
  /// the files under the root, defined on the host.
  let libvirtURI: String?
  /// How that libvirt is opened.
  let libvirtConnector: LibvirtConnector

  init(
    host: HostRoot, profile: HostProfile, bundledTuner: String?, rendersFiles: Bool = true,
    guestJobs: any GuestJobSource = LibvirtGuestJobs(), libvirtURI: String? = nil,
    libvirtConnector: LibvirtConnector = .fresh
  ) {
    self.libvirtConnector = libvirtConnector
    self.host = host
    self.guestJobs = guestJobs
    self.libvirtURI = libvirtURI ?? (host.isLive ? Planner.systemLibvirt : nil)
    self.rendersFiles = rendersFiles
    self.profile = profile
    self.bundledTuner = bundledTuner
  }

  /// Whether the root is the running machine itself, where services can be started and stopped.
  var isLive: Bool { host.isLive }

  /// Records that `source` was read with the result `text` (`nil`: absent).
  func observe(_ source: ObservationSource, _ text: String?) {
    observations[source] = Digest(of: text)
  }

  /// Records that `source` was read with the digest `digest` (replayed from a trace).
  func observe(_ source: ObservationSource, _ digest: Digest) {
    observations[source] = digest
  }

  /// Records that `source` was read with the bytes `data` (`nil`: absent).
  func observe(_ source: ObservationSource, data: Data?) {
    observations[source] = Digest(of: data)
  }

  /// Reads and records the bytes of the file `path` (from the root); `nil` when absent
  /// or not a readable regular file.
  func readFile(_ path: String) -> Data? {
    let data = (try? host.readIfPresent(path)).flatMap { $0 }.map { Data($0) }
    observe(.file(path), data: data)
    return data
  }

  /// Reads and records a live value under `/sys` or `/proc/sys`, trimmed; `nil` when absent.
  func readLive(_ path: String) -> String? {
    let text = try? host.value(path)
    observe(.live(path), text)
    return text
  }

  /// Adds a diagnostic.
  func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

  /// Every observation, sorted by source.
  var sortedObservations: [Observation] {
    observations.keys.sorted().map { Observation(source: $0, digest: observations[$0]!) }
  }
}
