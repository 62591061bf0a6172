import HostConfig
import Yams

extension SpecParser {
  static let kernelKeys = ["entries", "args"]
  static let argsKeys = ["present", "absent"]
}

extension SpecParser.Reader {
  mutating func kernel(_ node: Node) -> HostSpec.Kernel {
    var kernel = HostSpec.Kernel()
    for (key, _, value) in entries(node, "kernel", known: SpecParser.kernelKeys) {
      if key == "entries" {
        kernel.entries = choice(value, "kernel.entries", EntrySelection.self) ?? .all
        continue
      }
      var seen: [KernelArgument: String] = [:]
      for (list, _, items) in entries(value, "kernel.args", known: SpecParser.argsKeys) {
        let path = "kernel.args.\(list)"
        for (text, item) in self.list(items, path) {
          guard let argument = kernelArgument(text, item, path) else { continue }
          if let other = seen[argument] {
            error(item, path, "\"\(text)\" is also in kernel.args.\(other)")
            continue
          }
          seen[argument] = list
          if list == "present" {
            kernel.present.append(argument)
          } else {
            kernel.absent.append(argument)
          }
        }
      }
    }
    return kernel
  }

  mutating func kernelArgument(_ text: String, _ node: Node, _ path: String) -> KernelArgument? {
    do {
      return try KernelArgument(parsing: text)
    } catch {
      self.error(node, path, error.message)
      return nil
    }
  }
}
