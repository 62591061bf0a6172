import Editors
import Yams

extension SpecParser.Reader {
  mutating func sysctl(_ node: Node) -> [HostSpec.Setting] {
    var result: [HostSpec.Setting] = []
    for (key, keyNode, value) in entries(node, "sysctl", known: nil) {
      let path = "sysctl.\(key)"
      guard key.contains("."), key.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
        error(keyNode, path, "\"\(key)\" is not a sysctl key such as vm.swappiness")
        continue
      }
      guard let text = scalar(value, path) else { continue }
      if let problem = SysctlEditor.valueProblem(key, text) {
        // Refused here, at the value's line, rather than by the sysctl file's editor while planning.
        error(value, path, problem)
        continue
      }
      result.append(.init(key, text))
    }
    return result
  }
}
