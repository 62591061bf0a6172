import HostConfig
import Yams

extension SpecParser.Reader {
  /// `passthrough:`: devices by address or IDs, host drivers, drivers to blacklist.
  mutating func passthrough(_ node: Node) -> HostSpec.Passthrough {
    var result = HostSpec.Passthrough()
    var refused = false
    for (key, _, value) in entries(node, "passthrough", known: SpecParser.passthroughKeys) {
      let path = "passthrough.\(key)"
      for (text, item) in list(value, path) {
        switch key {
        case "devices":
          if let problem = ModuleOptionRules.deviceProblem(text) {
            refused = true
            error(item, "\(path).\(text)", problem)
          } else if result.devices.contains(where: { $0.lowercased() == text.lowercased() }) {
            error(item, "\(path).\(text)", "is listed twice")
          } else {
            // Kept as written, so that messages quote it and find its line; matched without case.
            result.devices.append(text)
          }
        default:
          if let problem = ModuleOptionRules.moduleProblem(text) {
            error(item, "\(path).\(text)", problem)
          } else if key == "host_drivers" {
            result.hostDrivers.append(text)
          } else {
            result.blacklist.append(text)
          }
        }
      }
    }
    if result.devices.isEmpty, !refused, let mapping = node.mapping {
      error(mapping["devices"] ?? node, "passthrough.devices", "needs at least one device, by address or IDs")
    }
    for driver in result.blacklist where ModuleOptionRules.sameModule(driver, "vfio_pci") {
      error(node, "passthrough.blacklist", "cannot blacklist vfio-pci, which takes the devices")
    }
    return result
  }

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
