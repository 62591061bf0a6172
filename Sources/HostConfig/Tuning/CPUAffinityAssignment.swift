/// One `CPUAffinity=` line of systemd's manager configuration: the file and its value
/// (`""` for an empty assignment, which drops the masks before it).
public struct CPUAffinityAssignment: Sendable, Equatable, Codable {
  /// The file, as a path from the root.
  public var file: String
  /// The value as written (`0-3`, `0 4`), or `""`.
  public var value: String

  public init(file: String, value: String) {
    self.file = file
    self.value = value
  }

  /// The CPUs the value names (systemd takes commas and spaces between CPUs and ranges);
  /// `nil` when it is not a CPU list.
  public var cpus: CPUList? {
    let words = value.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
    guard !words.isEmpty else { return nil }
    return try? CPUList(parsing: words.joined(separator: ","))
  }

  /// The mask systemd ends with after `assignments`, as systemd-system.conf(5) says: each
  /// assignment's CPUs merged into the mask, an empty one resetting it; with the files of
  /// the assignments that make it. `nil` when nothing is assigned after the last reset.
  /// A value that is not a CPU list is kept as written (systemd logs it and ignores it).
  public static func merged(_ assignments: [CPUAffinityAssignment]) -> (value: String, files: [String])? {
    var cpus: Set<Int> = []
    var files: [String] = []
    var unreadable: [String] = []
    for assignment in assignments {
      if assignment.value.isEmpty {
        cpus = []
        files = []
        unreadable = []
        continue
      }
      if let list = assignment.cpus { cpus.formUnion(list.cpus) } else { unreadable.append(assignment.value) }
      if !files.contains(assignment.file) { files.append(assignment.file) }
    }
    guard !files.isEmpty else { return nil }
    let value = cpus.isEmpty ? unreadable.joined(separator: " ") : CPUList(cpus).description
    return (value, files)
  }
}
