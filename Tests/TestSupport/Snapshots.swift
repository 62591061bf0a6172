/// Comparing whole-tree snapshots without printing whole files.
public enum Snapshots {
  /// The paths whose entry differs between two snapshots, leaving out the engine's
  /// own state folder `var/lib/virthost` (lock and backups) and the folders above it.
  public static func differences(_ a: [String: String], _ b: [String: String]) -> [String] {
    Set(a.keys).union(b.keys).filter { path in
      !path.hasPrefix("var/lib/virthost") && path != "var/lib" && path != "var" && a[path] != b[path]
    }.sorted()
  }
}
