import Foundation
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The exclusive lock one apply or rollback holds on a root:
/// `ROOT/var/lib/virthost/lock`, locked with `flock`, released when the value goes.
///
/// A second apply on the same root waits up to a short time, then gives up with
/// an ``EngineError/locked(_:)``. The lock file is created once and never written.
public final class ApplyLock {
  /// The lock file, as a path from the root.
  public static let path = "/var/lib/virthost/lock"

  private let descriptor: Int32

  /// Takes the lock on `root`, retrying every 50 ms for up to `wait`.
  public init(root: HostRoot, wait: Duration = .seconds(3)) throws(EngineError) {
    let file = root.describe(Self.path)
    // The descriptor becomes the lock's only once it is locked: a class whose stored
    // properties are all set runs its `deinit` when its `init` throws, and that `deinit`
    // would close the descriptor a second time, under a number another thread may have
    // been given in between (an Augeas lens file whose scanner then exits the process).
    let opened: Int32
    do {
      opened = try HostRootWriter(root).openLockFile(Self.path)
    } catch {
      throw .io("cannot open \(file): \(error)")
    }
    let clock = ContinuousClock()
    let deadline = clock.now + wait
    while flock(opened, LOCK_EX | LOCK_NB) != 0 {
      guard errno == EWOULDBLOCK || errno == EINTR, clock.now < deadline else {
        close(opened)
        throw .locked(
          "another virthost apply or rollback holds the lock on \(root.path) (\(file)); waited \(wait). "
            + "Try again when it has finished.")
      }
      usleep(50_000)
    }
    descriptor = opened
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
