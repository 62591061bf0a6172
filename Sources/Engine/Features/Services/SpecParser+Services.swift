import Yams

extension SpecParser.Reader {
  mutating func services(_ node: Node) -> [(name: String, state: HostSpec.ServiceState)] {
    var result: [(name: String, state: HostSpec.ServiceState)] = []
    for (name, keyNode, value) in entries(node, "services", known: nil) {
      let path = "services.\(name)"
      guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "@._:-".contains($0)) }),
        !name.isEmpty, name != ".", name != "..", !name.hasPrefix("-")
      else {
        error(keyNode, path, "\"\(name)\" is not a service name")
        continue
      }
      if let state = choice(value, path, HostSpec.ServiceState.self) { result.append((name, state)) }
    }
    return result
  }
}
