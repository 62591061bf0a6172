import Yams

/// `kernel: {entries, args: {present, absent}}`: arguments by hand, on the boot entries chosen.
enum KernelFeature: Feature {
  static let keys = ["kernel"]

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    spec.kernel = reader.kernel(value)
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let kernel = expansion.spec.kernel else { return [] }
    wants.kernelEntries = kernel.entries
    for argument in kernel.present {
      wants.kernelArguments.append(
        .init(argument: argument, present: true, origin: "kernel.args.present", reason: "kernel.args.present"))
    }
    wants.refusingOrigins.insert("kernel.args.absent")
    for argument in kernel.absent {
      wants.kernelArguments.append(
        .init(argument: argument, present: false, origin: "kernel.args.absent", reason: "kernel.args.absent"))
    }
    return []
  }
}
