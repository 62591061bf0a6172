import HostConfig

/// Where one kernel argument of the default entry stands: in each source of the boot
/// command line (for GRUB 2, the evaluated `/etc/default/grub` and drop-ins, the next
/// kernel's source, and each generated grub.cfg, today's entries) and on the running
/// kernel's command line.
///
/// The words of the shared vocabulary follow from it: a source that lacks what another
/// has is *pending regeneration* (grub.cfg behind its defaults); the running kernel
/// lacking what every source has is *pending reboot*.
public struct ArgumentCoverage: Sendable, Codable, Equatable {
  /// The argument (`key=value` or a flag).
  public var argument: String
  /// Each source (a path from the root, the defaults named `/etc/default/grub (evaluated)`)
  /// and whether it has the argument (for a grub.cfg: on every normal Linux line).
  public var sources: [String: Bool]
  /// Whether `/proc/cmdline` has it; `nil` when the running command line is unknown.
  public var running: Bool?

  /// Creates a coverage.
  public init(argument: String, sources: [String: Bool], running: Bool?) {
    self.argument = argument
    self.sources = sources
    self.running = running
  }

  /// The name of the evaluated defaults among the ``sources``.
  public static let evaluatedDefaults = "/etc/default/grub (evaluated)"

  /// Whether the sources disagree about the argument: some have it, some do not.
  public var sourcesDisagree: Bool { Set(sources.values).count > 1 }

  /// One coverage per argument of the default entry of `grub2` (evaluated) or on a
  /// normal Linux line of one of its grub.cfg files, in that order; the words
  /// `grub-mkconfig` adds itself (`BOOT_IMAGE`, `root`, `ro`, GRUB variables) left out.
  static func of(_ grub2: Grub2, running: [String]?) -> [ArgumentCoverage] {
    let configured = grub2.expectedArguments(.normal).map(\.description)
    let generated = grub2.generated.map { config in
      (config.file, config.lines.filter { $0.kind == .normal }.map { $0.arguments.map(\.description) })
    }
    var order = configured
    for (_, lines) in generated {
      for word in lines.joined() where !order.contains(word) && !isBootLoaderOwn(word) { order.append(word) }
    }
    return order.map { argument in
      var sources = [evaluatedDefaults: configured.contains(argument)]
      for (file, lines) in generated { sources[file] = !lines.isEmpty && lines.allSatisfy { $0.contains(argument) } }
      return ArgumentCoverage(argument: argument, sources: sources, running: running.map { $0.contains(argument) })
    }
  }

  private static func isBootLoaderOwn(_ word: String) -> Bool {
    let key = KernelArgument(word: word).key
    return ["BOOT_IMAGE", "root", "ro", "rw", "single", "placeholder"].contains(key) || word.hasPrefix("$")
  }
}
