import HostConfig
import Yams

extension SpecParser {
  static let passthroughKeys = ["devices", "host_drivers", "blacklist"]
}

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
}
