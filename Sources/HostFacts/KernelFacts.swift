import Foundation
import RootFS

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The running kernel: its release, the build options virthost depends on, and the
/// arguments it was booted with.
public struct KernelFacts: Sendable, Codable, Equatable {
  /// The build options read from `/boot/config-<release>`, in this order.
  public static let configOptions = [
    "CONFIG_KSM", "CONFIG_AMD_IOMMU", "CONFIG_INTEL_IOMMU", "CONFIG_KVM", "CONFIG_KVM_AMD", "CONFIG_KVM_INTEL",
  ]

  /// The running release (`2.6.32-71.29.1.el6.x86_64`), from `/proc/sys/kernel/osrelease`;
  /// on the live `/` only, from `uname -r` when that file cannot be read.
  public var release: Fact<String>
  /// Each of `configOptions` to its value in `/boot/config-<release>`: `y` (built in),
  /// `m` (module), `n` (a `# … is not set` line, or no line: the option is off), or the
  /// option's own value for a string or number option.
  public var config: [String: Fact<String>]
  /// The arguments the kernel was booted with, from `/proc/cmdline`, split at blanks
  /// outside double quotes (quotes kept, as the kernel shows them).
  public var cmdline: Fact<[String]>

  private enum CodingKeys: String, CodingKey {
    case release, config, cmdline
  }

  static let osrelease = "/proc/sys/kernel/osrelease"
  static let cmdlinePath = "/proc/cmdline"

  /// Reads the running kernel of the host at `root` alone, without the other facts.
  public init(root: HostRoot) {
    release = Self.release(root)
    let configPath = "/boot/config-\(release.value ?? "<release>")"
    var config: [String: Fact<String>] = [:]
    if release.value == nil {
      for option in Self.configOptions {
        config[option] = .unknown("the running kernel release is unknown", source: configPath)
      }
    } else {
      switch root.factText(configPath) {
      case .failure(let problem):
        for option in Self.configOptions { config[option] = .unknown(problem.factReason, source: configPath) }
      case .success(let text):
        let values = Self.parseConfig(text)
        for option in Self.configOptions { config[option] = .known(values[option] ?? "n", source: configPath) }
      }
    }
    self.config = config
    switch root.factText(Self.cmdlinePath) {
    case .failure(let problem): cmdline = .unknown(problem.factReason, source: Self.cmdlinePath)
    case .success(let text): cmdline = .known(Self.splitArguments(text), source: Self.cmdlinePath)
    }
  }

  /// The value of a build option, as in `config`; an unknown fact for an option not in `configOptions`.
  public func config(_ option: String) -> Fact<String> {
    config[option] ?? .unknown("\(option) is not one of the options virthost reads", source: "/boot/config-<release>")
  }

  private static func release(_ root: HostRoot) -> Fact<String> {
    switch root.factValue(osrelease) {
    case .success(let value) where !value.isEmpty: return .known(value, source: osrelease)
    case .success: return .unknown("\(osrelease) is empty", source: osrelease)
    case .failure(let problem):
      guard root.isLive else { return .unknown(problem.factReason, source: osrelease) }
      var names = utsname()
      guard uname(&names) == 0 else { return .unknown(problem.factReason, source: osrelease) }
      let value = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      return .known(value, source: "uname -r")
    }
  }

  /// The `CONFIG_X=value` lines of a kernel build configuration, with `# CONFIG_X is not set` as `n`
  /// and a string option's double quotes removed.
  static func parseConfig(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    for line in text.split(separator: "\n") {
      if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
        values[String(line.dropFirst(2).dropLast(11))] = "n"
      } else if line.hasPrefix("CONFIG_"), let equals = line.firstIndex(of: "=") {
        var value = String(line[line.index(after: equals)...])
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
          value = String(value.dropFirst().dropLast())
        }
        values[String(line[..<equals])] = value
      }
    }
    return values
  }

  /// A kernel command line split as the kernel splits it: at blanks, except inside double quotes.
  static func splitArguments(_ text: String) -> [String] {
    var arguments: [String] = []
    var current = ""
    var quoted = false
    for character in text {
      if character == "\"" { quoted.toggle() }
      if character.isWhitespace && !quoted {
        if !current.isEmpty { arguments.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { arguments.append(current) }
    return arguments
  }
}
