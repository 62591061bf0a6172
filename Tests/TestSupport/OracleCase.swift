import Foundation

/// One golden case written by `scripts/oracles/` (format in
/// `Tests/EditorsTests/Fixtures/oracles/README.md`): the distribution tool's calls in
/// order, each with its exit status, output, the link set after it and the `is-enabled` answers.
public struct OracleCase: Sendable {
  /// One `run` line and what follows it up to the next.
  public struct Step: Sendable {
    /// The command's words, `$ROOT` kept (`systemctl --root=$ROOT enable ksm`).
    public var command: [String]
    /// Its exit status.
    public var exit: Int32
    /// Its output lines.
    public var out: [String] = []
    /// Every link recorded after it (path from the root → link text); empty when the oracle
    /// wrote no `link` line.
    public var links: [String: String] = [:]
    /// The `depend` lines after it: each insserv `.depend.*` file (`.depend.start`) → its lines.
    public var depend: [String: [String]] = [:]
    /// The `is-enabled` lines after it: unit → (answer, exit status).
    public var isEnabled: [(unit: String, answer: String, exit: Int32)] = []

    /// The operation and its operand: the last two words of a systemctl call (`enable`, `ksm`);
    /// for update-rc.d (`update-rc.d [-f] NAME VERB`), the verb and the script.
    public var operation: (verb: String, name: String) {
      if command.contains("/usr/sbin/update-rc.d") {
        let words = command.drop { $0 != "/usr/sbin/update-rc.d" }.dropFirst().filter { $0 != "-f" }
        return (words.last!, words.first!)
      }
      return (command[command.count - 2], command[command.count - 1])
    }
  }

  /// The case's name (file name without `.tsv`).
  public var name: String
  /// The first comment line: what the case is.
  public var title: String
  /// `is-enabled` lines before the first `run`.
  public var initialIsEnabled: [(unit: String, answer: String, exit: Int32)] = []
  /// The steps in order.
  public var steps: [Step] = []

  /// The folder of the golden data in the repository.
  public static let folder = "Tests/EditorsTests/Fixtures/oracles"

  /// Every case of `tool` (`systemd`, `update-rc.d`), sorted by name.
  public static func all(_ tool: String) throws -> [String] {
    let url = FixtureRoot.repository.appendingPathComponent(folder + "/" + tool)
    return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".tsv") }
      .map { String($0.dropLast(4)) }.sorted()
  }

  /// Reads `oracles/<tool>/<name>.tsv`.
  public init(_ tool: String, _ name: String) throws {
    let url = FixtureRoot.repository.appendingPathComponent("\(Self.folder)/\(tool)/\(name).tsv")
    try self.init(name: name, text: String(contentsOf: url, encoding: .utf8))
  }

  /// Parses the text of a case.
  public init(name: String, text: String) throws {
    self.name = name
    title = ""
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      switch fields[0] {
      case _ where line.hasPrefix("# "):
        if title.isEmpty { title = String(line.dropFirst(2)) }
      case "run":
        steps.append(Step(command: fields[1].split(separator: " ").map(String.init), exit: Int32(fields[2])!))
      case "out": steps[steps.count - 1].out.append(fields.dropFirst().joined(separator: "\t"))
      case "link": steps[steps.count - 1].links[fields[1]] = fields[2]
      case "depend": steps[steps.count - 1].depend[fields[1], default: []].append(fields[2])
      case "is-enabled":
        let answer = (unit: fields[1], answer: fields[2], exit: Int32(fields[3])!)
        if steps.isEmpty {
          initialIsEnabled.append(answer)
        } else {
          steps[steps.count - 1].isEnabled.append(answer)
        }
      default:
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSDebugDescriptionErrorKey: "\(name): unknown line \(line)"])
      }
    }
  }

  /// Every symlink under `/etc/systemd` and `/etc/rc?.d` of the tree at `path` (path from the
  /// root → link text), as the oracle scripts' `links_now` lists them.
  public static func links(under path: String) -> [String: String] {
    var result: [String: String] = [:]
    let manager = FileManager.default
    let etc = path + "/etc"
    let folders = ((try? manager.contentsOfDirectory(atPath: etc)) ?? [])
      .filter { $0 == "systemd" || ($0.hasPrefix("rc") && $0.hasSuffix(".d") && $0.count == 5) }
    for folder in folders {
      guard let walker = manager.enumerator(atPath: etc + "/" + folder) else { continue }
      for case let relative as String in walker {
        let full = etc + "/" + folder + "/" + relative
        if let text = try? manager.destinationOfSymbolicLink(atPath: full) {
          result["/etc/" + folder + "/" + relative] = text
        }
      }
    }
    return result
  }
}
