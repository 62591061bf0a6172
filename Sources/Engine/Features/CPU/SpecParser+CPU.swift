import HostConfig
import Yams

extension SpecParser {
  static let cpuKeys = ["isolated"]
}

extension SpecParser.Reader {
  /// `cpu: {isolated: "2-15"}` or `cpu: {isolated: none}`.
  mutating func cpu(_ node: Node) -> HostSpec.CPU? {
    var result: HostSpec.CPU?
    for (_, _, value) in entries(node, "cpu", known: SpecParser.cpuKeys) {
      guard let text = scalar(value, "cpu.isolated") else { continue }
      if text == "none" { return HostSpec.CPU(isolated: nil) }
      do {
        let list = try CPUList(parsing: text)
        if list.isEmpty {
          error(value, "cpu.isolated", "names no CPU; write none to stop isolating CPUs")
          continue
        }
        result = HostSpec.CPU(isolated: list)
      } catch {
        self.error(value, "cpu.isolated", error.message)
      }
    }
    return result
  }
}
