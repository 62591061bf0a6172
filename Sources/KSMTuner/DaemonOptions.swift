/// The command line of `virthost-ksmtuned`.
struct DaemonOptions: Equatable, Sendable {
  /// `--root DIR`: the directory standing for `/` (default `/`).
  var root = "/"
  /// `--foreground`: keep the terminal, the session and stdio.
  var foreground = false
  /// `--once`: run one cycle and exit.
  var once = false
  /// `--pidfile FILE`: the pidfile, as given (default: `/var/run/virthost-ksmtuned.pid` under the root).
  var pidfile: String?
  /// `--metrics-file FILE`: where each cycle writes the metrics in Prometheus's text format
  /// (a path on this machine, not under the root), or `nil`.
  var metricsFile: String?
  /// `-h`/`--help`.
  var help = false

  /// The default pidfile's host path.
  static let defaultPidfile = "/var/run/virthost-ksmtuned.pid"

  /// Parses the arguments after the program name: `--opt VALUE` or `--opt=VALUE`.
  ///
  /// - Throws: a sentence naming the argument that is unknown or lacks its value.
  init(parsing arguments: some Sequence<String>) throws(UsageError) {
    var iterator = arguments.makeIterator()
    while let argument = iterator.next() {
      var name = argument
      var inlineValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      func value() throws(UsageError) -> String {
        if let inlineValue { return inlineValue }
        guard let next = iterator.next(), !next.isEmpty else { throw UsageError(description: "\(name) needs a value") }
        return next
      }
      switch name {
      case "--root": root = try value()
      case "--pidfile": pidfile = try value()
      case "--metrics-file": metricsFile = try value()
      case "--foreground" where inlineValue == nil: foreground = true
      case "--once" where inlineValue == nil: once = true
      case "-h", "--help": help = true
      default: throw UsageError(description: "unknown argument '\(argument)'")
      }
    }
  }
}

/// A command line the daemon does not accept, as one sentence.
struct UsageError: Error, CustomStringConvertible {
  var description: String
}
