internal import CAugeas
import Synchronization

/// Idle Augeas handles, opened on `/` with their lenses already compiled, that
/// the ``AugeasTree``s opened while the pool is bound take over instead of
/// opening (and compiling every lens) anew.
///
/// libaugeas compiles a lens once per handle, and a handle's root is fixed when
/// it is opened. A pooled handle is therefore opened on `/`, and a tree that
/// takes it over addresses its root's files through a path prefix: its
/// transforms include `ROOT/etc/ksmtuned.conf`, and its paths (`/files/etc/…`)
/// are rewritten to `/files/ROOT/etc/…` and back, so callers see the same tree
/// as with a handle of their own. Each tree reloads its files from disk when it
/// takes a handle over, so nothing read under another root or at another time
/// leaks into it.
///
/// Bind a pool with ``run(_:)`` around work that opens many trees one after
/// the other: several plans in one process (apply plans three times), or one
/// plan per host of a fleet. Without a bound pool, trees open and close their
/// own handle, as the daemon wants (its memory stays flat). Roots whose path
/// holds characters other than letters, digits and `._-+~` get a handle of
/// their own even then.
///
/// A handle serves one tree at a time: the pool hands it out at the tree's
/// `init` and takes it back at its `deinit`. The pool closes its idle handles
/// when it goes away.
public final class AugeasHandlePool: Sendable {
  /// The pool that trees opened in the current task (or thread) take handles from.
  @TaskLocal public static var current: AugeasHandlePool?

  private let idle = Mutex<[Handle]>([])

  /// An empty pool; handles are opened as trees need them.
  public init() {}

  deinit {
    idle.withLock { handles in
      for handle in handles { AugeasCalls.run { aug_close(handle.pointer) } }
      handles.removeAll()
    }
  }

  /// Runs `body` with this pool bound as ``current``.
  public func run<T>(_ body: () throws -> T) rethrows -> T {
    try Self.$current.withValue(self) { try body() }
  }

  /// How many handles wait for a tree.
  public var idleCount: Int { idle.withLock { $0.count } }

  /// An idle handle opened with `loadPath`, or `nil` when there is none.
  func take(loadPath: String?) -> OpaquePointer? {
    idle.withLock { handles in
      guard let index = handles.firstIndex(where: { $0.loadPath == loadPath }) else { return nil }
      return handles.remove(at: index).pointer
    }
  }

  /// Gives `pointer` back for the next tree.
  func give(_ pointer: OpaquePointer, loadPath: String?) {
    idle.withLock { $0.append(Handle(pointer: pointer, loadPath: loadPath)) }
  }

  /// An idle handle. `@unchecked Sendable`: a handle in the pool is used by no
  /// tree; the one tree that takes it out owns it alone until it gives it back,
  /// and both moves go through the pool's mutex.
  private struct Handle: @unchecked Sendable {
    let pointer: OpaquePointer
    let loadPath: String?
  }
}
