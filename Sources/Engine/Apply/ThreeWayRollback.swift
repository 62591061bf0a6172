import Foundation
import RootFS

/// What a rollback of a format-2 backup does with each file and live value, decided before
/// anything is written, from three versions: what was there before the apply (the backup),
/// what the apply wrote (the manifest's digests), and what is there now.
///
/// - Now as the apply left it: restored (a file it created is removed).
/// - Now as it was before the apply: nothing to do (a rollback run again after a partial one).
/// - Removed since the apply: left removed, never re-created (a BLS entry of a kernel
///   removed since stays gone).
/// - Changed since the apply: refused, with the diff from what the apply wrote, unless
///   `force`; then the files and live values of every desired key it came from are held
///   back too, so that what one key wrote rolls back together or not at all.
/// - Written by a generator (grub.cfg): never restored from the backup; its inputs are,
///   and the generator runs again.
///
/// Keys are related along their paths: a refused `sysctl` (virthost's sysctl file) holds
/// back `sysctl.kernel.numa_balancing` (its live value), and the other way round.
struct ThreeWayRollback {
  /// What becomes of one file.
  enum FileAction: Equatable {
    /// Write the backed-up bytes back.
    case restore
    /// Remove the file the apply created.
    case remove
    /// Nothing to do: it is as before the apply.
    case asBefore
    /// Removed since the apply: left removed.
    case removedSince
    /// A generator's output: not restored; the generator runs again.
    case generated
    /// Changed since the apply: refused, with the diff from what the apply wrote.
    case changedSince(diff: String)
    /// Held back because another file or value of the same desired key is refused.
    case heldBack
  }

  /// What becomes of one write of a live value, in the order the apply made them.
  struct LiveStep: Equatable {
    var path: String
    /// The value to write: the value before the apply for a path's last write, the
    /// apply's own value for an earlier one (KSM's unmerge, `run=2`, before
    /// `merge_across_nodes` can change).
    var value: String
    var keys: [String]
  }

  /// The action of each file of the manifest, by path.
  var files: [String: FileAction] = [:]
  /// The live writes to make, in order.
  var live: [LiveStep] = []
  /// The desired keys held back.
  var refusedKeys: Set<String> = []
  /// Whether a generator's output differs from what it was before the apply, so the
  /// generator runs again once the inputs are back (an apply on another root never ran it).
  var regenerates = false

  /// Decides the rollback of `manifest` (format 2) of backup `name` in `store`'s root.
  init(_ manifest: BackupStore.Manifest, name: String, store: BackupStore, force: Bool) {
    let root = store.root
    for file in manifest.files {
      let now = (try? root.readIfPresent(file.path)) ?? nil
      let digest = now.map { SHA256.hex($0) }
      if file.generated == true {
        files[file.path] = .generated
        if digest != file.replacedSha256 { regenerates = true }
        continue
      }
      let undo: FileAction = file.existed ? .restore : .remove
      let action: FileAction
      switch (file.existed, file.wroteSha256, digest) {
      case (_, _, let current?) where current == file.replacedSha256: action = .asBefore
      case (false, _, nil): action = .asBefore
      case (true, nil, nil): action = .restore  // the apply removed it, and it is still gone
      case (true, _?, nil): action = .removedSince
      case (_, let wrote?, let current?) where current == wrote: action = undo
      default:
        let written = file.wroteSha256.flatMap { store.writtenBytes(file.path, in: name, sha256: $0) }
        let operation = FileOperation(path: file.path, before: written.map { Data($0) }, after: now.map { Data($0) })
        action = force ? undo : .changedSince(diff: UnifiedDiff.of(operation))
      }
      files[file.path] = action
    }
    let writes = manifest.liveWrites ?? []
    let before = Dictionary(manifest.live.map { ($0.path, $0.value) }, uniquingKeysWith: { first, _ in first })
    for (index, write) in writes.enumerated() {
      let last = !writes[(index + 1)...].contains { $0.path == write.path }
      guard last else {
        live.append(LiveStep(path: write.path, value: write.value, keys: write.keys))
        continue
      }
      // A live value is not judged against what the apply wrote: a daemon may own it since
      // (the tuner turns KSM's run on and off); it goes back with its key, or is held back with it.
      guard let value = before[write.path] else { continue }
      live.append(LiveStep(path: write.path, value: value, keys: write.keys))
    }
    for file in manifest.files {
      if case .changedSince = files[file.path] { refusedKeys.formUnion(file.keys ?? []) }
    }
    holdBack(manifest)
  }

  /// Holds back every file and live write of a key related to a refused one, and the keys
  /// they also came from, until nothing more is held back.
  private mutating func holdBack(_ manifest: BackupStore.Manifest) {
    var grew = true
    while grew {
      grew = false
      for file in manifest.files where isHeldBack(file.keys ?? []) {
        grew = take(file.keys ?? []) || grew
        switch files[file.path] {
        case .changedSince?, .heldBack?, .generated?: break
        default: files[file.path] = .heldBack
        }
      }
      for step in live where isHeldBack(step.keys) { grew = take(step.keys) || grew }
    }
    let kept = live.filter { !isHeldBack($0.keys) }
    live = kept
  }

  /// Whether any of `keys` is related to a refused key.
  private func isHeldBack(_ keys: [String]) -> Bool {
    keys.contains { key in refusedKeys.contains { Self.related(key, $0) } }
  }

  /// Adds `keys` to the refused ones; whether one was new.
  private mutating func take(_ keys: [String]) -> Bool {
    let before = refusedKeys.count
    refusedKeys.formUnion(keys)
    return refusedKeys.count > before
  }

  /// Whether two desired keys are one, or one lies under the other (`sysctl`, `sysctl.kernel.numa_balancing`).
  static func related(_ a: String, _ b: String) -> Bool {
    a == b || a.hasPrefix(b + ".") || b.hasPrefix(a + ".")
  }

  /// The files refused because they changed since the apply, with their diffs, in manifest order.
  func changed(in manifest: BackupStore.Manifest) -> [(path: String, diff: String)] {
    manifest.files.compactMap { file in
      if case .changedSince(let diff) = files[file.path] { return (file.path, diff) }
      return nil
    }
  }
}
