#if canImport(Glibc)
  import Glibc
#endif

/// The file `--metrics-file` names, replaced whole each time: the text goes to a temporary
/// file in the same folder (`.NAME.PID.tmp`, which node_exporter's textfile collector, reading
/// only `*.prom`, skips), which is then renamed over the file. A reader sees the old metrics or
/// the new ones, never a part.
///
/// Not a host file of the root: the path is the one given (node_exporter's folder on the
/// machine the daemon runs on), and the daemon, not the applier, owns it.
struct MetricsFile {
  /// The file's absolute path.
  let path: String

  /// Replaces the file with `text`.
  ///
  /// - Returns: `nil` on success, else one sentence naming the file and the error;
  ///   the temporary file is then removed and the old metrics stay.
  func replace(with text: String) -> String? {
    let slash = path.lastIndex(of: "/") ?? path.startIndex
    let folder = path[..<slash]
    let name = path[path.index(after: slash)...]
    let temporary = "\(folder)/.\(name).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return "cannot write the metrics to \(temporary): \(RawFile.describe(errno: errno))" }
    var failure = RawFile.write(fd, Array(text.utf8))
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temporary, path) != 0 { failure = errno }
    guard failure != 0 else { return nil }
    unlink(temporary)
    return "cannot write the metrics to \(path): \(RawFile.describe(errno: failure))"
  }
}
