import RootFS

/// What a kernel command line says to kmod and the kernel about modules: the modules
/// `modprobe.blacklist=` keeps out, and `<module>.<parameter>=<value>` options. Both win over
/// every modprobe.d file (kmod reads `/proc/cmdline` first; the kernel applies the options of a
/// built-in module itself).
public struct CommandLineModules: Sendable, Equatable {
  /// The blacklisted modules, `-` written as `_`.
  public var blacklisted: [String] = []
  /// The options, in order: module (`_` form), parameter, value.
  public var options: [(module: String, parameter: String, value: String)] = []

  /// Reads `arguments` (the command line split at blanks).
  public init(_ arguments: [String]) {
    for argument in arguments {
      guard let equals = argument.firstIndex(of: "=") else { continue }
      let key = argument[..<equals]
      let value = String(argument[argument.index(after: equals)...])
      if key == "modprobe.blacklist" {
        blacklisted += value.split(separator: ",").map { ModuleOptionRules.normal(String($0)) }
        continue
      }
      guard let dot = key.firstIndex(of: "."), dot != key.startIndex else { continue }
      options.append(
        (ModuleOptionRules.normal(String(key[..<dot])), String(key[key.index(after: dot)...]), value))
    }
  }

  /// The value the command line gives `module`'s `parameter` (the last one), or `nil`.
  public func value(_ module: String, _ parameter: String) -> String? {
    options.last { $0.module == ModuleOptionRules.normal(module) && $0.parameter == parameter }?.value
  }

  /// Compares the blacklist and the options.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.blacklisted == rhs.blacklisted
      && lhs.options.map { "\($0.module).\($0.parameter)=\($0.value)" }
        == rhs.options.map { "\($0.module).\($0.parameter)=\($0.value)" }
  }
}
