import KSMConfig
import Yams

extension SpecParser {
  static let ksmKeys = ["enabled", "tuner", "merge_across_nodes", "settings"]
}

extension SpecParser.Reader {
  mutating func ksm(_ node: Node) -> HostSpec.KSM {
    var ksm = HostSpec.KSM()
    for (key, _, value) in entries(node, "ksm", known: SpecParser.ksmKeys) {
      let path = "ksm.\(key)"
      switch key {
      case "enabled": ksm.enabled = bool(value, path)
      case "tuner": ksm.tuner = choice(value, path, HostSpec.Tuner.self) ?? .system
      case "merge_across_nodes": ksm.mergeAcrossNodes = bool(value, path)
      default:
        let names = KsmtunedSetting.allCases.map(\.rawValue)
        for (name, _, settingValue) in entries(value, path, known: names) {
          // `entries` keeps only known names.
          guard let setting = KsmtunedSetting(rawValue: name) else { continue }
          if isNull(settingValue) {
            ksm.settings.append(.init(setting, .unset))
            continue
          }
          guard let text = scalar(settingValue, "\(path).\(name)") else { continue }
          switch setting.desiredValue(text) {
          case .success(let value): ksm.settings.append(.init(setting, value))
          case .failure(let problem): error(settingValue, "\(path).\(name)", problem.description)
          }
        }
      }
    }
    return ksm
  }
}
