import HostConfig
import Yams

/// `sysctl: {KEY: VALUE}`: virthost's sysctl file and the running kernel's values, through
/// the sysctl-file and live-value sinks.
enum SysctlFeature: Feature {
  static let keys = ["sysctl"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.sysctl = reader.sysctl(value)
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    let settings = expansion.spec.sysctl
    wants.sysctl += settings
    wants.live += settings.map { setting in
      .init(
        address: ResourceAddress(.sysctl, setting.name), path: SysctlKey(setting.name).procPath,
        value: setting.value, origin: "sysctl.\(setting.name)",
        reason: "sysctl.\(setting.name) sets the running kernel's value")
    }
    return []
  }
}
