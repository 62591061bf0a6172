import Foundation
import TestSupport

@testable import Commands
@testable import Engine

/// One of the repository's examples on a temporary copy of its root, with the
/// engine set up as `virthost` would be, and its golden files.
struct ExampleHost {
  /// Every example under `examples/`.
  static let all = [
    "centos6-amd", "intel-grub2-systemd", "converged", "ksm-off", "numa-pinned", "gpu-passthrough",
  ]
  /// The stand-in for the `virthost-ksmtuned` program that `tuner: bundled` installs.
  static let tuner = FixtureRoot.repository.appendingPathComponent("Tests/EngineTests/Fixtures/virthost-ksmtuned").path

  let name: String
  let root: FixtureRoot
  let specText: String

  init(_ name: String) throws {
    try self.init(name, root: try FixtureRoot("examples/\(name)/root"))
  }

  /// The example `name` on `root`, a copy of its root that a test has changed.
  init(_ name: String, root: FixtureRoot) throws {
    self.name = name
    self.root = root
    specText = try String(
      contentsOf: FixtureRoot.repository.appendingPathComponent("examples/\(name)/host.yaml"), encoding: .utf8)
  }

  var engine: Engine {
    Engine(planner: Planner(root: root.host, bundledTuner: Self.tuner), lockWait: .milliseconds(200))
  }

  func plan(_ text: String? = nil) throws -> Plan {
    try engine.plan(specText: text ?? specText, specFile: "examples/\(name)/host.yaml")
  }

  /// `text` with the temporary root replaced by `ROOT`.
  func normalized(_ text: String) -> String { text.replacingOccurrences(of: root.path, with: "ROOT") }

  /// The golden file `file` of this example (see ``Golden``).
  func golden(_ file: String, _ actual: String) throws -> String {
    try Golden.text("Tests/EngineTests/Fixtures/expected/\(name)/\(file)", recording: actual)
  }

  /// The modification time of every entry under the root (symlinks not followed), the engine's own folder left out.
  func modificationTimes() throws -> [String: Date] {
    var result: [String: Date] = [:]
    let manager = FileManager.default
    for case let relative as String in manager.enumerator(atPath: root.path)! where !relative.hasPrefix("var/lib") {
      result[relative] = try manager.attributesOfItem(atPath: root.path + "/" + relative)[.modificationDate] as? Date
    }
    return result
  }

  /// The text renderer's output, as `virthost plan --diff` prints it.
  func text(_ plan: Plan, diff: Bool = false) -> String { PlanTextRenderer(diff: diff).render(plan) }

  /// The Markdown renderer's output.
  func markdown(_ plan: Plan) -> String { PlanMarkdownRenderer().render(plan) }
}
