import Foundation
import TestSupport

/// One case of the bad-input corpus: a folder under `Fixtures/bad-input/` with a
/// `case.txt`, and optionally its own `host.yaml` and a `setup.sh` that spoils the host.
///
/// `case.txt` holds `command: plan|apply`, `status: N` and one or more
/// `expect: TEXT` lines, each of which must appear in what `virthost` prints
/// (the temporary root written as `ROOT`). Lines starting with `#` say what the case shows.
/// Without its own `host.yaml` a case uses the seed example's. `setup.sh` runs with
/// `bash` in the case's working folder, with `ROOT` (the root's copy) and `SPEC`
/// (the desired-state file) in its environment.
struct BadInputCase {
  /// The folder holding every case.
  static let folder = FixtureRoot.repository.appendingPathComponent("Tests/ReliabilityTests/Fixtures/bad-input")

  /// Every case, in name order.
  static func all() throws -> [BadInputCase] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { try BadInputCase($0) }
  }

  let name: String
  let command: String
  let status: Int32
  let expected: [String]

  init(_ name: String) throws {
    self.name = name
    let text = try String(contentsOf: Self.folder.appendingPathComponent("\(name)/case.txt"), encoding: .utf8)
    var command = "plan"
    var status: Int32 = 1
    var expected: [String] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon]
      let value = String(line[line.index(after: colon)...].dropFirst())
      switch key {
      case "command": command = value
      case "status": status = Int32(value) ?? -1
      case "expect": expected.append(value)
      default: break
      }
    }
    self.command = command
    self.status = status
    self.expected = expected
  }

  /// A file of the case's folder, when it has one.
  func file(_ name: String) -> URL? {
    let url = Self.folder.appendingPathComponent("\(self.name)/\(name)")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }
}
