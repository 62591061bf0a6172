import Foundation
import TestSupport

/// Copies of the seed example's root made where a test needs them (a tmpfs, a trial folder).
enum TreeCopy {
  /// The seed example's desired-state file.
  static let seedSpec = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path

  /// Copies the tree `source` (links kept, as `cp -a`) to `folder/root`; returns that path.
  static func copy(_ source: String, to folder: String) throws -> String {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FixtureRoot.copyTree(source, to: folder + "/root")
    return folder + "/root"
  }

  /// Runs a system command to its end; throws when it fails.
  static func run(_ program: String, _ arguments: [String]) throws {
    let run = try ProgramRun.run(program, arguments)
    guard run.status == 0 else {
      throw CocoaError(
        .executableLoad, userInfo: [NSDebugDescriptionErrorKey: "\(program) \(arguments): \(run.transcript)"])
    }
  }

  /// Whether the tests run as root (and so may mount tmpfs and read-only binds).
  static var isRoot: Bool { getuid() == 0 }
}
