import Synchronization

/// One libaugeas call at a time in the process.
///
/// libaugeas is not thread-safe even across handles: it sets glibc's process-wide
/// `re_syntax_options` around each regular expression it compiles and puts the old value
/// back after (src/regexp.c, `regexp_compile_internal`), and it compiles them lazily, at
/// every parse and again at every put (a lens's compiled expressions are freed after each
/// put). Two threads compiling at the same time can compile with each other's syntax or
/// with glibc's default one, and a lens so compiled parses or renders otherwise. A single
/// process-wide lock around each call is the fix: uncontended (virthost plans in one
/// thread), it costs a few nanoseconds a call; parallel callers (the test runner, an
/// embedding program) get what one thread alone gets.
enum AugeasCalls {
  private static let lock = Mutex<Void>(())

  /// Runs `body`, which calls libaugeas, holding the lock. `body` must not call back into
  /// this function (the lock is not recursive): each caller wraps its own C calls only.
  static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    try lock.withLock { _ throws(E) in try body() }
  }
}
