import Foundation
import TestSupport
import Testing

/// Random and extreme values in every numeric and list key of host.yaml, planned by
/// the built `virthost` on a copy of an example root, under a memory limit and a time limit.
/// Each run ends in a plan (exit 0) or a clean refusal (exit 1, every error placed at
/// `host.yaml:LINE:COLUMN`), never in a crash, a hang or an allocation of the whole machine.
///
/// `VIRTHOST_SEED` replays a run; `VIRTHOST_PROPERTY_TRIALS` scales the number of random values.
@Suite struct ExtremeValueTests {
  /// The address space each run may use (`ulimit -v`, KiB): far above a plan's needs (about
  /// 60 MB resident), far below what a billion-entry list took (over 15 GB).
  static let memoryLimitKiB = 2 * 1024 * 1024
  /// How long one plan may take.
  static let timeLimit = 30.0

  /// Numbers at and beyond the edges of 32 and 64 bits, signs, and numbers YAML reads otherwise.
  static let extremeNumbers = [
    "0", "1", "-1", "2147483647", "2147483648", "4294967296", "9007199254740993", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "18446744073709551616", "100000000000000000000000000000",
    "10000000000000", "1e400", "0x7fffffffffffffff", "007", "1.5", "\"\"", "-0", String(repeating: "9", count: 300),
  ]

  /// A number of random magnitude, or one of ``extremeNumbers``.
  static func number(_ random: inout SeededGenerator) -> String {
    if Bool.random(using: &random) { return extremeNumbers.randomElement(using: &random)! }
    let digits = Int.random(in: 1...40, using: &random)
    return String((0..<digits).map { _ in "0123456789".randomElement(using: &random)! })
  }

  /// An amount of memory: a number with a unit.
  static func amount(_ random: inout SeededGenerator) -> String {
    let unit = ["K", "M", "G", "T", "KiB", "MB", "", "P"].randomElement(using: &random)!
    return "\"\(number(&random).replacingOccurrences(of: "\"", with: ""))\(unit)\""
  }

  /// A CPU list: huge ranges, many items, broken items.
  static func cpuList(_ random: inout SeededGenerator) -> String {
    let count = [1, 2, 5, 3000].randomElement(using: &random)!
    let items = (0..<count).map { _ -> String in
      let low = Int.random(in: 0...20, using: &random)
      switch Int.random(in: 0..<6, using: &random) {
      case 0: return "\(low)"
      case 1: return "\(low)-\(number(&random).filter(\.isNumber))"
      case 2: return "\(number(&random).filter(\.isNumber))-\(low)"
      case 3: return "\(low)-"
      case 4: return "\(low) - \(low + Int.random(in: 0...4, using: &random))"
      default: return "0-\(Int.max)"
      }
    }
    return "\"" + items.joined(separator: ",") + "\""
  }

  /// A YAML list of `count` items made by `item`.
  static func list(_ count: Int, _ item: () -> String) -> String {
    "[" + (0..<count).map { _ in item() }.joined(separator: ", ") + "]"
  }

  /// One desired state that puts random values into one area of host.yaml, and the example it is planned on.
  static func document(_ trial: Int, _ random: inout SeededGenerator) -> (spec: String, example: String) {
    let n = { (random: inout SeededGenerator) in number(&random) }
    let size = { (random: inout SeededGenerator) in
      Bool.random(using: &random) ? ["2M", "1G"].randomElement(using: &random)! : amount(&random)
    }
    let many = [0, 1, 3, 500].randomElement(using: &random)!
    switch trial % 12 {
    case 0: return ("hugepages:\n  size: \(size(&random))\n  count: \(n(&random))\n", "numa-pinned")
    case 1:
      return ("hugepages:\n  size: 2M\n  count: {\(n(&random)): \(n(&random)), 1: \(n(&random))}\n", "numa-pinned")
    case 2:
      return (
        "hugepages:\n  pools:\n    - {size: \(size(&random)), count: \(n(&random))}\n"
          + "    - {size: \(size(&random)), count: \(n(&random))}\n", "numa-pinned"
      )
    case 3:
      return (
        "hugepages:\n  size: 2M\n  count: \(n(&random))\n  host_reserve: \(amount(&random))\n"
          + "  default_size: \(size(&random))\n", "numa-pinned"
      )
    case 4: return ("hugepages:\n  mode: runtime\n  size: 2M\n  count: \(n(&random))\n", "numa-pinned")
    case 5: return ("cpu:\n  isolated: \(cpuList(&random))\n", "numa-pinned")
    case 6:
      let key = [
        "KSM_MONITOR_INTERVAL", "KSM_SLEEP_MSEC", "KSM_NPAGES_BOOST", "KSM_NPAGES_DECAY", "KSM_NPAGES_MIN",
        "KSM_NPAGES_MAX", "KSM_THRES_COEF", "KSM_THRES_CONST",
      ].randomElement(using: &random)!
      return ("ksm:\n  enabled: true\n  settings:\n    \(key): \(n(&random))\n", "centos6-amd")
    case 7:
      return ("sysctl:\n  vm.nr_hugepages: \(n(&random))\n  kernel.numa_balancing: \(n(&random))\n", "numa-pinned")
    case 8:
      var inner = random
      let arguments = list(many) { "a\(Int.random(in: 0...999_999, using: &inner))=\(number(&inner))" }
      random = inner
      return ("kernel:\n  args:\n    present: \(arguments)\n    absent: [b=\(n(&random))]\n", "centos6-amd")
    case 9:
      var inner = random
      let devices = list(many) {
        [
          "\"0000:01:00.\(Int.random(in: 0...9, using: &inner))\"",
          "\"10de:\(Int.random(in: 1000...99999, using: &inner))\"",
          "\"01:00.0\"", "\"\(number(&inner))\"",
        ].randomElement(using: &inner)!
      }
      let drivers = list(min(many, 40)) { "d\(Int.random(in: 0...99, using: &inner))" }
      random = inner
      return ("passthrough:\n  devices: \(devices)\n  host_drivers: \(drivers)\n", "gpu-passthrough")
    case 10:
      return ("kvm:\n  nested: true\n  options:\n    kvm:\n      halt_poll_ns: \(n(&random))\n", "gpu-passthrough")
    default:
      return (
        "hugepages:\n  size: \(size(&random))\n  count: \(n(&random))\ncpu:\n  isolated: \(cpuList(&random))\n",
        "numa-pinned"
      )
    }
  }

  @Test func everyNumericAndListKeyTakesExtremeValuesWithoutCrashOrHang() throws {
    let scale = ProcessInfo.processInfo.environment["VIRTHOST_PROPERTY_TRIALS"].flatMap { Int($0) } ?? 1
    var random = SeededGenerator(label: "ExtremeValueTests")
    var roots: [String: FixtureRoot] = [:]
    var planned = 0
    var refused = 0
    for trial in 0..<(72 * scale) {
      let (spec, example) = Self.document(trial, &random)
      let root = try roots[example] ?? FixtureRoot("examples/\(example)/root")
      roots[example] = root
      let folder = (root.path as NSString).deletingLastPathComponent
      try Data(spec.utf8).write(to: URL(fileURLWithPath: folder + "/host.yaml"))
      let log = folder + "/plan.log"
      try? FileManager.default.removeItem(atPath: log)
      let command =
        "ulimit -v \(Self.memoryLimitKiB); cd '\(folder)' && exec '\(ProgramRun.virthost)' plan host.yaml --root '\(root.path)'"
      let child = try ChildProcess("/bin/sh", ["sh", "-c", command], output: log)
      let status = child.wait(timeout: Self.timeLimit)
      if status == nil { child.stop() }
      let printed = contents(log)
      let context = "seed \(random.seed), trial \(trial) on \(example):\n\(spec)--- printed\n\(printed.prefix(2000))"
      #expect(status != nil, "no answer within \(Self.timeLimit) s: \(context)")
      #expect(status == 0 || status == 1, "status \(status.map(String.init) ?? "none"): \(context)")
      let errors = printed.split(separator: "\n").filter { $0.contains("error:") }
      if status == 1 {
        refused += 1
        #expect(!errors.isEmpty, "exit 1 without an error: \(context)")
        for line in errors {
          #expect(
            line.wholeMatch(of: /host\.yaml:\d+:\d+: error: .+/) != nil, "not placed in host.yaml: \(line)\n\(context)")
        }
      } else if status == 0 {
        planned += 1
      }
    }
    print("ExtremeValueTests: \(planned) planned, \(refused) refused with their positions")
    #expect(planned > 0)
    #expect(refused > 0)
  }
}
