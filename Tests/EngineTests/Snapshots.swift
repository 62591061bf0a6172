/// Comparing whole-tree snapshots without printing whole files.
enum Snapshots {
  /// The paths whose entry differs between two snapshots, the engine's own
  /// `var/lib/virthost` (lock and backups) left out.
  static func differences(_ a: [String: String], _ b: [String: String]) -> [String] {
    Set(a.keys).union(b.keys).filter { !$0.hasPrefix("var/lib/virthost") && !($0 == "var/lib") && a[$0] != b[$0] }
      .sorted()
  }
}
