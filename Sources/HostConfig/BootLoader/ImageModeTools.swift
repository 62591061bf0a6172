import Foundation
import RootFS
import Spawn

/// What the live image-mode host's tools can do for its kernel arguments: whether bootc has
/// `loader-entries set-options-for-source` (its `bootc loader-entries --help` lists it) and
/// whether ostree is 2026.1 or later (`ostree --version`), which that command needs: ostree
/// 2026.1 keeps the `x-options-source-*` keys through a staged deployment (bootc's
/// `loader_entries.rs` refuses without it).
public struct ImageModeTools: Sendable, Equatable {
  /// Whether `bootc loader-entries --help` lists `set-options-for-source`.
  public var bootcSetsOptionsForSource: Bool
  /// ostree's version (`[2026, 1]`), when `ostree --version` said it.
  public var ostreeVersion: [Int]?

  /// The first ostree release whose staged deployments keep bootc's source keys.
  public static let sourceKeysOstree = [2026, 1]

  /// Reads the answers of the two probes (`nil`: the program is missing or failed).
  public init(bootcLoaderEntriesHelp: String?, ostreeVersionOutput: String?) {
    bootcSetsOptionsForSource =
      bootcLoaderEntriesHelp?.split(separator: "\n").contains {
        $0.trimmingCharacters(in: .whitespaces).hasPrefix("set-options-for-source")
      } ?? false
    // `ostree --version` prints YAML: `libostree:` then ` Version: '2026.1'`.
    ostreeVersion =
      ostreeVersionOutput?.split(separator: "\n").lazy.compactMap { line -> [Int]? in
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("Version:") else { return nil }
        let value = text.dropFirst("Version:".count).trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
        let parts = value.split(separator: ".").map { Int($0) }
        return parts.isEmpty || parts.contains(nil) ? nil : parts.compactMap { $0 }
      }.first
  }

  /// Whether virthost can own its arguments as `--source virthost`.
  public var setsOptionsForSource: Bool {
    guard bootcSetsOptionsForSource, let version = ostreeVersion else { return false }
    return version.lexicographicallyPrecedes(Self.sourceKeysOstree) == false
  }

  /// Why the source form cannot be used, in words; `nil` when it can.
  public var whyNotSource: String? {
    if !bootcSetsOptionsForSource { return "`bootc loader-entries --help` does not list set-options-for-source" }
    guard let version = ostreeVersion else { return "`ostree --version` did not say its version" }
    if !setsOptionsForSource {
      return "ostree is \(version.map(String.init).joined(separator: ".")); bootc's sources need 2026.1 or later"
    }
    return nil
  }

  /// Who answers the probes while a task runs: tests set it (`$probe.withValue`); `nil`, the
  /// live root's own programs.
  @TaskLocal public static var probe: (any ImageModeToolProbe)?

  /// The tools of `root`: on the live root (or with a ``probe`` set) asked once per call;
  /// `nil` on another root, whose programs virthost never runs.
  public static func read(_ root: HostRoot) -> ImageModeTools? {
    let probe: any ImageModeToolProbe
    if let set = Self.probe {
      probe = set
    } else if root.isLive {
      probe = HostImageModeToolProbe(root: root)
    } else {
      return nil
    }
    return ImageModeTools(
      bootcLoaderEntriesHelp: probe.bootcLoaderEntriesHelp(), ostreeVersionOutput: probe.ostreeVersion())
  }
}

/// The two questions virthost asks an image-mode host's tools.
public protocol ImageModeToolProbe: Sendable {
  /// What `bootc loader-entries --help` prints; `nil` when bootc is missing or fails.
  func bootcLoaderEntriesHelp() -> String?
  /// What `ostree --version` prints; `nil` when ostree is missing or fails.
  func ostreeVersion() -> String?
}

/// The live root's own `bootc` and `ostree`, found in its program folders.
struct HostImageModeToolProbe: ImageModeToolProbe {
  let root: HostRoot

  func bootcLoaderEntriesHelp() -> String? { run("bootc", ["loader-entries", "--help"]) }
  func ostreeVersion() -> String? { run("ostree", ["--version"]) }

  private func run(_ program: String, _ arguments: [String]) -> String? {
    guard let path = root.findProgram(HostRoot.programFolders.map { $0 + "/" + program }),
      let outcome = try? ProgramRunner.run(
        path, arguments, step: "ask \(program) what it supports", timeout: .seconds(30), streams: .separate),
      outcome.status == 0
    else { return nil }
    return outcome.printed
  }
}
