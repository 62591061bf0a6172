import Yams

/// `services: {NAME: enabled | disabled | running | stopped}`, through the services sink.
enum ServicesFeature: Feature {
  static let keys = ["services"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.services = reader.services(value)
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    wants.services += expansion.spec.services.map { service in
      let enabled = service.state == .enabled || service.state == .running
      let running: Bool? =
        switch service.state {
        case .running: true
        case .stopped: false
        case .enabled, .disabled: nil
        }
      let setting = "services.\(service.name): \(service.state.rawValue)"
      return ServiceProvider.Intent(
        name: service.name, enabled: enabled, running: running, origin: "services.\(service.name)",
        setting: setting, reason: setting, required: true)
    }
    return []
  }
}
