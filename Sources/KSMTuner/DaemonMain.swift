import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The entry point of `virthost-ksmtuned`: parses its arguments and runs the
/// tuning loop. Returns the process's exit status.
public enum DaemonMain {
  static let usage = """
    USAGE: virthost-ksmtuned [--root DIR] [--foreground] [--once] [--pidfile FILE] [--metrics-file FILE]

    Decides whether, and how hard, KSM scans memory, as ksmtuned does, without forking.
    Reads /etc/ksmtuned.conf; SIGUSR1 retunes at once, SIGHUP re-reads the settings.

    OPTIONS:
      --root DIR        Read and write every host path under DIR (default: /).
      --foreground      Keep the terminal, the session and stdio (for systemd).
      --once            Run one tuning cycle and exit.
      --pidfile FILE    The pidfile (default: /var/run/virthost-ksmtuned.pid under the root).
      --metrics-file FILE
                        Write KSM's counters and the tuner's state to FILE each cycle, in
                        Prometheus's text format (for node_exporter's textfile collector).
      -h, --help        Show this help.

    """

  /// Runs the daemon with `arguments` (the first is the program name): 0 on a
  /// clean exit, 1 when it cannot run (another instance, no MemTotal), 2 for a
  /// bad command line.
  public static func run(_ arguments: [String]) -> Int32 {
    let options: DaemonOptions
    do {
      options = try DaemonOptions(parsing: arguments.dropFirst())
    } catch {
      DebugLog.writeAll(2, "virthost-ksmtuned: \(error)\n" + usage)
      return 2
    }
    if options.help {
      DebugLog.writeAll(1, usage)
      return 0
    }
    guard let root = try? HostRoot(options.root) else {
      DebugLog.writeAll(2, "virthost-ksmtuned: --root \(options.root) is not a directory\n")
      return 1
    }
    return Daemon(root: root, options: options).run()
  }
}
