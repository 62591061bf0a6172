import HostProcesses

#if canImport(Glibc)
  import Glibc
#endif

/// Where the daemon's lines go: debug lines in ksmtuned's form `<date>: <message>`
/// to `LOGFILE` or stdout, and problems to stderr (or syslog once detached).
final class DebugLog {
  /// The debug log on disk (LOGFILE under the root), or `nil` for stdout.
  var file: String?
  /// Whether debug lines are written at all (`DEBUG`).
  var enabled: Bool
  /// Whether stderr is gone (detached): problems then go to syslog.
  private var detached = false

  init(file: String?, enabled: Bool) {
    self.file = file
    self.enabled = enabled
    tzset()
  }

  /// `/bin/date`'s default output in the C locale for `time`:
  /// `Tue Aug  2 22:51:52 CEST 2011`, in the local time zone (`TZ`).
  static func date(_ time: time_t) -> String {
    var seconds = time
    var local = tm()
    localtime_r(&seconds, &local)
    var buffer = [CChar](repeating: 0, count: 128)
    let count = strftime(&buffer, buffer.count, "%a %b %e %H:%M:%S %Z %Y", &local)
    return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Writes `message` as a debug line, when debugging is on. The file is
  /// opened for each line (appending), so log rotation needs no signal.
  func debug(_ message: String) {
    guard enabled else { return }
    let line = Self.date(time(nil)) + ": " + message + "\n"
    if let file {
      let fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        problem("cannot write to the log \(file): \(RawFile.describe(errno: errno))", toLog: false)
        return
      }
      Self.writeAll(fd, line)
      close(fd)
    } else {
      Self.writeAll(1, line)
    }
  }

  /// Reports a problem: on stderr as `virthost-ksmtuned: …`, or to syslog once
  /// detached; also to the debug log file when there is one.
  func problem(_ message: String, toLog: Bool = true) {
    if detached {
      message.withCString { text in
        withVaList([text]) { vsyslog(LOG_WARNING, "%s", $0) }
      }
    } else {
      Self.writeAll(2, "virthost-ksmtuned: " + message + "\n")
    }
    if toLog, file != nil { debug(message) }
  }

  /// From now on, problems go to syslog (stderr is /dev/null).
  func detach() {
    openlog(nil, LOG_PID, LOG_DAEMON)  // nil: the program's name, virthost-ksmtuned
    detached = true
  }

  static func writeAll(_ fd: Int32, _ text: String) {
    _ = RawFile.write(fd, Array(text.utf8))
  }
}
