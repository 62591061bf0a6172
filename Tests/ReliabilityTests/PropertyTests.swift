import Editors
import Engine
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Seeded random inputs for the spec parser and the kernel-argument editor: no input
/// crashes; every refused spec says where; every accepted edit re-reads, through a
/// new editor on the saved files, to exactly the requested arguments.
///
/// `VIRTHOST_SEED` replays a run; `VIRTHOST_PROPERTY_TRIALS` scales the counts (default 1).
@Suite(.serialized) final class PropertyTests {
  private let scale = ProcessInfo.processInfo.environment["VIRTHOST_PROPERTY_TRIALS"].flatMap { Int($0) } ?? 1

  @Test func randomAndMutatedSpecsNeverCrashAndEveryRefusalHasAPosition() throws {
    var random = SeededGenerator(label: "PropertyTests.spec")
    let seedText = try String(contentsOfFile: TreeCopy.seedSpec, encoding: .utf8)
    var accepted = 0
    var refused = 0
    for trial in 0..<(10_000 * scale) {
      let text = trial.isMultiple(of: 2) ? randomDocument(&random) : mutate(seedText, &random)
      do {
        _ = try SpecParser.parse(text, file: "host.yaml")
        accepted += 1
      } catch {
        refused += 1
        #expect(!(error.diagnostics.isEmpty), "seed \(random.seed), trial \(trial)")
        for diagnostic in error.diagnostics {
          #expect(diagnostic.location != nil, "seed \(random.seed), trial \(trial): \(diagnostic.summary)\n\(text)")
          #expect(diagnostic.location?.line ?? 0 >= 1)
        }
      }
    }
    print("PropertyTests: \(accepted + refused) specs: \(accepted) accepted, \(refused) refused with positions")
    #expect(accepted > 0)
    #expect(refused > 0)
  }

  @Test func everyAcceptedKernelArgumentEditReReadsToTheRequestedArguments() throws {
    var random = SeededGenerator(label: "PropertyTests.kernel")
    var accepted = 0
    var refused = 0
    var reasons: [String: Int] = [:]
    let examples = ["centos6-amd", "intel-grub2-systemd", "converged"]
    for trial in 0..<(90 * scale) {
      let example = examples[trial % examples.count]
      let root = try FixtureRoot("examples/\(example)/root")
      let presentTexts = (0..<Int.random(in: 1...4, using: &random)).map { _ in argumentText(&random) }
      let absentTexts = (0..<Int.random(in: 0...2, using: &random)).map { _ in argumentText(&random) }
      let selection: EntrySelection = Bool.random(using: &random) ? .all : .default
      let context = "seed \(random.seed), trial \(trial), \(example), \(selection): +\(presentTexts) -\(absentTexts)"
      let request: KernelArgsRequest
      do {
        request = KernelArgsRequest(
          entries: selection, present: try presentTexts.map(KernelArgument.init(parsing:)),
          absent: try absentTexts.map(KernelArgument.init(parsing:)))
        let editor = try BootLoaderEditor(root: root.path)
        try editor.ensure(request)
        // Writes the planned texts, as apply does.
        let writer = HostRootWriter(editor.root)
        for change in try editor.pendingChanges() {
          try writer.replace(change.path, with: Array((change.after ?? "").utf8))
        }
      } catch {
        refused += 1
        reasons["\(error)".prefix(48).description, default: 0] += 1
        continue
      }
      accepted += 1
      let reread = try BootLoaderEditor(root: root.path).entries()
      let edited = selection == .all ? reread : reread.filter(\.isDefault)
      #expect(!(edited.isEmpty), "\(context)")
      for entry in edited {
        for key in Set(request.present.map(\.key)) {
          #expect(
            entry.arguments.filter { $0.key == key } == request.present.filter { $0.key == key },
            "\(context): \(entry.title)")
        }
        for unwanted in request.absent {
          #expect(
            !(entry.arguments.contains {
              $0.key == unwanted.key && (unwanted.value == nil || $0.value == unwanted.value)
            }), "\(context): \(entry.title) still has \(unwanted)")
        }
      }
    }
    print(
      "PropertyTests: \(accepted + refused) kernel-argument edits: \(accepted) accepted and re-read, \(refused) refused: \(reasons.sorted { $0.value > $1.value }.prefix(6))"
    )
    #expect(accepted > 0)
    #expect(refused > 0)
  }

  // MARK: - Generators

  private static let keys = [
    "iommu", "iommu_passthrough", "kernel", "entries", "args", "present", "absent", "ksm", "enabled", "tuner",
    "merge_across_nodes", "settings", "KSM_MONITOR_INTERVAL", "KSM_NPAGES_MIN", "KSM_NPAGES_MAX", "LOGFILE", "DEBUG",
    "services", "libvirtd", "sysctl", "kernel.numa_balancing", "iomu", "x", "",
  ]
  private static let values = [
    "on", "off", "true", "no", "all", "default", "system", "bundled", "none", "running", "1", "-50", "1250",
    "99999999999999999999", "1.5", "$(reboot)", "`id`", "\"a b\"", "'q'", "[amd_iommu=on, quiet]", "[]", "{}", "~",
    "&anchor x", "*alias", "!!binary aGk=", "|", ">-", "é", "\u{0}", "#c", "key: value", "- item",
  ]

  /// A YAML-looking document built from the spec's keys and awkward values.
  private func randomDocument(_ random: inout SeededGenerator) -> String {
    var lines: [String] = []
    for _ in 0..<Int.random(in: 0...12, using: &random) {
      let indent = String(repeating: " ", count: [0, 0, 2, 2, 4, 6, 1, 3].randomElement(using: &random)!)
      let key = Self.keys.randomElement(using: &random)!
      let value = Bool.random(using: &random) ? "" : " " + Self.values.randomElement(using: &random)!
      let dash = Int.random(in: 0..<5, using: &random) == 0 ? "- " : ""
      let tab = Int.random(in: 0..<30, using: &random) == 0 ? "\t" : ""
      lines.append(tab + indent + dash + key + ":" + value)
    }
    return lines.joined(separator: Int.random(in: 0..<20, using: &random) == 0 ? "\r\n" : "\n")
  }

  /// The seed spec with one to five bytes inserted, deleted or replaced.
  private func mutate(_ text: String, _ random: inout SeededGenerator) -> String {
    var bytes = Array(text.utf8)
    let pool: [UInt8] = Array(":-[]{}\"'#&*!|>%@` \t\n\r0aZ,.=$".utf8) + [0, 0x7F, 0xC3, 0xA9, 0xFF]
    for _ in 0..<Int.random(in: 1...5, using: &random) {
      let index = Int.random(in: 0...bytes.count, using: &random)
      switch Int.random(in: 0..<3, using: &random) {
      case 0: bytes.insert(pool.randomElement(using: &random)!, at: index)
      case 1 where index < bytes.count: bytes.remove(at: index)
      default: if index < bytes.count { bytes[index] = pool.randomElement(using: &random)! }
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A kernel argument: usually a well-formed `key` or `key=value`, sometimes with
  /// characters a boot loader line cannot hold.
  private func argumentText(_ random: inout SeededGenerator) -> String {
    let keys = [
      "quiet", "rhgb", "ro", "root", "vga", "crashkernel", "LANG", "rd_NO_LUKS", "nomodeset", "amd_iommu", "iommu",
      "console", "transparent_hugepage", "intel_iommu", "hugepages", "isolcpus", "rd.lvm.lv",
    ]
    let keyCharacters = "abcxyz019_-."
    let valueCharacters = keyCharacters + ",:/+"
    let awkward: [Character] = [" ", "\"", "'", ";", "$", "`", "é", "\n", "\t", "\u{0}", "=", "\\", "|", "#"]
    func word(_ plain: String, _ random: inout SeededGenerator) -> String {
      String(
        (0..<Int.random(in: 1...8, using: &random)).map { _ in
          Int.random(in: 0..<25, using: &random) == 0
            ? awkward.randomElement(using: &random)! : plain.randomElement(using: &random)!
        })
    }
    let key =
      Int.random(in: 0..<4, using: &random) == 0 ? word(keyCharacters, &random) : keys.randomElement(using: &random)!
    switch Int.random(in: 0..<3, using: &random) {
    case 0: return key
    case 1: return key + "=" + ["on", "off", "pt", "never", "1", "ttyS0,115200"].randomElement(using: &random)!
    default: return key + "=" + word(valueCharacters, &random)
    }
  }
}
