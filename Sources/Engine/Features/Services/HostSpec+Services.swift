extension HostSpec {
  /// What `services:` asks of one service.
  public enum ServiceState: String, Sendable, CaseIterable {
    /// Started at boot; its running state is left alone.
    case enabled
    /// Not started at boot; its running state is left alone.
    case disabled
    /// Started at boot and, on a live host, running now.
    case running
    /// Not started at boot and, on a live host, stopped now.
    case stopped
  }

  /// `services:`, in file order: each service's name and state.
  struct ServiceList: FeatureSection, Equatable {
    var names: [String] = []
    var states: [ServiceState] = []
  }

  /// `services:`, in file order: the service name and its state; empty when absent.
  public var services: [(name: String, state: ServiceState)] {
    get {
      let list: ServiceList? = section("services")
      return list.map { Array(zip($0.names, $0.states)).map { (name: $0.0, state: $0.1) } } ?? []
    }
    set {
      sections["services"] =
        newValue.isEmpty ? nil : ServiceList(names: newValue.map(\.name), states: newValue.map(\.state))
    }
  }
}
