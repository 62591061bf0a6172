import HostConfig
import Yams

extension SpecParser {
  static let kvmKeys = ["nested", "options"]
}

extension SpecParser.Reader {
  /// `kvm:`: `nested` and other options by module.
  mutating func kvm(_ node: Node) -> HostSpec.KVM {
    var result = HostSpec.KVM()
    for (key, _, value) in entries(node, "kvm", known: SpecParser.kvmKeys) {
      if key == "nested" {
        result.nested = bool(value, "kvm.nested")
        continue
      }
      for (module, _, options) in entries(value, "kvm.options", known: ModuleOptionRules.kvmModules) {
        var settings: [HostSpec.Setting] = []
        for (name, nameNode, optionValue) in entries(options, "kvm.options.\(module)", known: nil) {
          let path = "kvm.options.\(module).\(name)"
          if let problem = ModuleOptionRules.parameterProblem(name) {
            error(nameNode, path, problem)
            continue
          }
          if name == "nested" {
            error(nameNode, path, "is set by kvm.nested", detail: "Write kvm.nested: true or false instead.")
            continue
          }
          guard let text = scalar(optionValue, path) else { continue }
          if let problem = ModuleOptionRules.valueProblem(text) {
            error(optionValue, path, problem)
            continue
          }
          settings.append(.init(name, text))
        }
        result.options[module] = settings
      }
    }
    return result
  }
}
