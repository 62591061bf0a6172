/// `virthost check --metrics-file`: the verdict in Prometheus's text format, for
/// node_exporter's textfile collector (pull mode, monitoring).
extension DriftReport {
  /// The exposition: the status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN), one sample per
  /// item with its verdict as a label, the count per verdict, the failed readiness checks,
  /// and whether this host waits for a reboot.
  var exposition: String {
    var lines = Self.header(
      "virthost_check_status", "virthost check's status: 0 OK, 1 WARNING (pending), 2 CRITICAL (drifted), 3 UNKNOWN")
    lines.append("virthost_check_status \(summary.status.rawValue)")
    lines += Self.header("virthost_check_items", "How many items of the desired state have each verdict")
    for verdict in Verdict.allCases {
      lines.append("virthost_check_items{verdict=\"\(verdict.rawValue)\"} \(summary.counts[verdict.rawValue] ?? 0)")
    }
    lines += Self.header("virthost_check_item", "Each item of the desired state, 1 with its verdict")
    for item in items {
      lines.append(
        "virthost_check_item{id=\"\(Self.escaped(item.id))\",verdict=\"\(item.verdict.rawValue)\"} 1")
    }
    lines += Self.header("virthost_check_failed_readiness_checks", "How many readiness checks failed")
    lines.append("virthost_check_failed_readiness_checks \(summary.failedChecks)")
    lines += Self.header("virthost_reboot_pending", "1 when the host waits for a reboot to carry its configuration")
    lines.append("virthost_reboot_pending \(items.contains { $0.verdict == .pendingReboot } ? 1 : 0)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The metrics of a check that could not be made: only the status, UNKNOWN.
  static var unknownExposition: String {
    (header(
      "virthost_check_status", "virthost check's status: 0 OK, 1 WARNING (pending), 2 CRITICAL (drifted), 3 UNKNOWN")
      + ["virthost_check_status \(Status.unknown.rawValue)"]).joined(separator: "\n") + "\n"
  }

  private static func header(_ name: String, _ help: String) -> [String] {
    ["# HELP \(name) \(help).", "# TYPE \(name) gauge"]
  }

  /// A label value as the text format wants it: backslash, double quote and line feed escaped.
  static func escaped(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }
}
