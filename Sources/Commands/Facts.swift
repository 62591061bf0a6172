import ArgumentParser
import Engine
import Foundation
import HostFacts

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `virthost facts`: what the host is and whether it is ready for KVM, read-only.
///
/// Exits with status 1 exactly when a FAIL-level readiness check fails, 0 otherwise
/// (WARN included); a root that is not a directory is a usage error.
struct Facts: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show what the host is (CPU, kernel, IOMMU, KSM, memory, boot, services) and its readiness for KVM.",
    discussion: """
      Reads /proc, /sys, /boot, /var/log/dmesg, the boot loader configuration and the \
      services' enablement under the root, never writes. \
      Exits with status 1 when a FAIL-level check fails, else 0. \
      The JSON schema is documented in docs/facts.md.
      """)

  /// The two renderings of one `FactsReport`.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    /// Grouped and aligned, for people.
    case text
    /// The documented JSON schema, for scripts.
    case json
  }

  @OptionGroup var options: RootOptions

  @Option(help: "text for people, json for scripts.")
  var format: Format = .text

  func run() throws {
    let output = try render(
      environment: ProcessInfo.processInfo.environment, isTerminal: isatty(STDOUT_FILENO) == 1)
    print(output.text, terminator: "")
    if output.failed { throw ExitCode(1) }
  }

  /// The command's output and whether a FAIL-level check failed, for the given
  /// environment and whether standard output is a terminal.
  func render(environment: [String: String], isTerminal: Bool) throws -> (text: String, failed: Bool) {
    let root = try options.hostRoot()
    var report = FactsReport(root: options.root, facts: HostFacts.gather(root: root))
    if root.isLive {
      let read = DomainPlacementFacts.read(root, facts: report.facts, uri: Planner.systemLibvirt)
      (report.guests, report.guestsUnread) = (read.guests, read.unread)
    } else {
      report.guests = DomainPlacementFacts.read(root, facts: report.facts)
    }
    switch format {
    case .json: return (report.json(), report.hasFailure)
    case .text:
      let colour = Self.usesColour(environment: environment, isTerminal: isTerminal)
      return (report.text(colour: colour), report.hasFailure)
    }
  }

  /// Colour only on a terminal, never with `NO_COLOR` set (to anything, even empty)
  /// nor on a `dumb` terminal.
  static func usesColour(environment: [String: String], isTerminal: Bool) -> Bool {
    isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
  }
}
