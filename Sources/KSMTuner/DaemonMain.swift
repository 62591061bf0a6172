#if canImport(Glibc)
  import Glibc
#endif

/// The entry point of `virthost-ksmtuned`: parses its arguments and runs the
/// tuning loop. Returns the process's exit status.
public enum DaemonMain {
  static let usage = """
    USAGE: virthost-ksmtuned [--root DIR] [--foreground] [--once] [--pidfile FILE]

    Decides whether, and how hard, KSM scans memory, as ksmtuned does, without forking.

    OPTIONS:
      --root DIR        Read and write every host path under DIR (default: /).
      --foreground      Stay in the foreground instead of detaching.
      --once            Run one tuning cycle and exit.
      --pidfile FILE    Write the daemon's pid to FILE.
      -h, --help        Show this help.

    """

  /// Runs the daemon with `arguments` (the first is the program name).
  public static func run(_ arguments: [String]) -> Int32 {
    if arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
      print(usage, terminator: "")
      return 0
    }
    let message = "virthost-ksmtuned: the tuning loop is not built yet\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    return 1
  }
}
