import HostConfig

/// The `sysfs[...]` and live `sysctl[...]` resources: values of a running kernel,
/// written in place under `/sys` or `/proc/sys`.
///
/// A value whose file does not exist under the root is not live there (an offline
/// image) and is left out, with a warning on the live root.
struct LiveValueProvider: ResourceProvider {
  /// One live value the desired state asks for.
  struct Want {
    /// The resource (`sysfs["/sys/kernel/mm/ksm/run"]` or `sysctl["vm.swappiness"]`).
    var address: ResourceAddress
    /// Its file, as a path from the root.
    var path: String
    /// The desired value.
    var value: String
    /// The desired key that asks for it.
    var origin: String
    /// Why, in words.
    var reason: String
    /// Whether the file lists every choice with the current one in brackets
    /// (`always [madvise] never`): its value is the bracketed word.
    var choosesInBrackets = false
  }

  /// The current value in a file that lists every choice with the current one in brackets
  /// (`always [madvise] never` → `madvise`); a file of one word (a copy of the root that
  /// holds the value written) is that word.
  static func bracketedChoice(_ text: String) -> String? {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    if let chosen = words.first(where: { $0.hasPrefix("[") && $0.hasSuffix("]") }) {
      return String(chosen.dropFirst().dropLast())
    }
    return words.count == 1 ? String(words[0]) : nil
  }

  var wants: [Want]

  var origin: String { "live values" }

  static let ksmRun = "/sys/kernel/mm/ksm/run"
  static let mergeAcrossNodes = "/sys/kernel/mm/ksm/merge_across_nodes"
  static let pagesShared = "/sys/kernel/mm/ksm/pages_shared"

  func changes(in context: PlanContext) -> [ResourceChange] {
    var result: [ResourceChange] = []
    for want in wants {
      guard let read = context.readLive(want.path),
        let current = want.choosesInBrackets ? Self.bracketedChoice(read) : read
      else {
        if context.isLive {
          context.report(
            Diagnostic(
              .warning, .missingLiveValue,
              "\(want.path) does not exist on this kernel; \(want.origin) is not applied now",
              address: want.address, keyPath: want.origin))
        }
        continue
      }
      let same = SysctlValue.normalized(current) == SysctlValue.normalized(want.value)
      var change = ResourceChange(
        want.address, actions: same ? [] : [.update], before: current, after: want.value, reason: want.reason,
        origin: want.origin)
      if !same { change.operations = writes(for: want, context).map(Operation.writeLive) }
      result.append(change)
    }
    return result
  }

  /// The writes that set `want`; `merge_across_nodes` is set with KSM unmerged
  /// (`run` = 2) when pages are shared or KSM runs, and `run` restored after.
  private func writes(for want: Want, _ context: PlanContext) -> [LiveWrite] {
    let set = LiveWrite(path: want.path, value: want.value)
    guard want.path == Self.mergeAcrossNodes else { return [set] }
    let run = context.readLive(Self.ksmRun) ?? "0"
    let shared = Int(context.readLive(Self.pagesShared) ?? "0") ?? 0
    guard run == "1" || shared > 0 else { return [set] }
    let restore = wants.first { $0.path == Self.ksmRun }?.value ?? run
    return [
      LiveWrite(
        path: Self.ksmRun, value: "2",
        purpose: "unmerge all shared pages: the kernel refuses the change while pages are shared"),
      set,
      LiveWrite(path: Self.ksmRun, value: restore, purpose: "restore KSM"),
    ]
  }
}
