import Augeas

#if canImport(Glibc)
  import Glibc
#endif

extension KSMSettings {
  /// The host path of ksmtuned's settings.
  public static let file = "/etc/ksmtuned.conf"

  /// Reads `/etc/ksmtuned.conf` under `root` with Augeas's `Shellvars.lns` (the
  /// last assignment of a name wins, as in the shell) and interprets it with
  /// ``init(assignments:problems:)``; a missing file means the defaults.
  ///
  /// The tree is closed before returning and the memory it freed is handed back
  /// to the system, so the lens's cost is paid only while reading.
  /// - Returns: the settings and one sentence per value that is not a number,
  ///   each starting with the file's path.
  /// - Throws: ``AugeasError`` (with the line and character) when the file is
  ///   not valid shell variable syntax.
  public static func read(root: HostRoot) throws(AugeasError) -> (settings: KSMSettings, problems: [String]) {
    var assignments: [String: String] = [:]
    do {
      let tree = try AugeasTree(
        root: root.prefix.isEmpty ? "/" : root.prefix,
        transforms: [Transform(lens: "Shellvars.lns", includes: [file])])
      for name in names {
        if let last = try tree.match("/files\(file)/\(name)").last {
          assignments[name] = try tree.get(last) ?? ""
        }
      }
    }
    releaseFreedMemory()
    var problems: [String] = []
    let settings = KSMSettings(assignments: assignments, problems: &problems)
    return (settings, problems.map { root.path(file) + ": " + $0 })
  }
}

/// Hands the heap's free pages back to the system (glibc's `malloc_trim(0)`).
///
/// Compiling the Shellvars lens takes about 14 MB of heap; after the tree is
/// closed, glibc keeps those pages resident unless asked. The Glibc module does
/// not export `<malloc.h>`, so the function is looked up in the C library.
private func releaseFreedMemory() {
  typealias MallocTrim = @convention(c) (Int) -> Int32
  guard let symbol = dlsym(nil, "malloc_trim") else { return }
  _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
}
