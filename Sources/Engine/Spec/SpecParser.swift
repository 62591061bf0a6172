import Editors
import HostConfig
import KSMConfig
import Yams

/// Reads a `host.yaml` into a ``HostSpec``, checking every key and value and
/// reporting all problems at once with their positions.
///
/// Not a general YAML reader: it knows the keys of the desired-state format
/// (documented in docs/engine.md) and nothing else.
public enum SpecParser {
  /// The top-level keys.
  static var topKeys: [String] { FeatureRegistry.keys }

  /// The YAML resolver: none of Yams's rules, every scalar stays a string tagged `str`.
  static let resolver = Resolver.basic

  /// Parses `text`, the contents of the desired-state file `file` (used in positions only).
  ///
  /// - Throws: ``SpecError`` with every problem found, in file order.
  public static func parse(_ text: String, file: String) throws(SpecError) -> HostSpec {
    // Scalars are read as the text written (null spelled out is recognised by its text), so Yams's
    // tag resolution, which compiles a regular expression per type, is not needed.
    var reader = Reader(file: file)
    let root: Node?
    do {
      root = try Yams.compose(yaml: text, SpecParser.resolver)
    } catch {
      throw SpecError(diagnostics: [reader.syntaxDiagnostic(error, text: text)])
    }
    guard let root else {
      throw SpecError(diagnostics: [
        Diagnostic(
          .error, .emptySpec, "the file holds no desired state", detail: "Write one with `virthost init`.",
          location: SourceLocation(file: file, line: 1, column: 1))
      ])
    }
    let spec = reader.spec(root)
    let errors = reader.diagnostics.sorted {
      ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
    }
    if !errors.isEmpty { throw SpecError(diagnostics: errors) }
    return spec
  }

  /// Walks the YAML nodes, collecting problems instead of stopping at the first.
  struct Reader {
    let file: String
    var diagnostics: [Diagnostic] = []
    /// Where each key path read so far stands: a mapping's key, or a list item named by its
    /// text (`passthrough.devices.10de:1b80`); the first place wins.
    var locations: [String: SourceLocation] = [:]

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
      SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func error(_ node: Node, _ path: String, _ summary: String, detail: String? = nil) {
      error(at: location(node), path, summary, detail: detail)
    }

    /// An error at `location`, for a check made once the keys are read (``Feature/check(_:_:)``).
    mutating func error(at location: SourceLocation?, _ path: String, _ summary: String, detail: String? = nil) {
      // The document itself has no key path: no empty `: ` before the summary.
      diagnostics.append(
        Diagnostic(
          .error, .invalidSpec, summary, detail: detail, keyPath: path.isEmpty ? nil : path, location: location))
    }

    /// Where `key:` starts a line the second time, for a duplicate key Yams reports at its mapping.
    static func secondOccurrence(of key: String, in text: String) -> (line: Int, column: Int)? {
      var found = 0
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("\(key):") else { continue }
        found += 1
        if found == 2 { return (number + 1, line.count - trimmed.count + 1) }
      }
      return nil
    }

    /// The line and column (counted in Unicode scalars, from 1) of the UTF-8 byte `offset` of `text`.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
      let before = text.utf8.prefix(offset)
      let lastLine = before.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).last ?? []
      return (
        before.count { $0 == UInt8(ascii: "\n") } + 1,
        String(decoding: lastLine, as: UTF8.self).unicodeScalars.count + 1
      )
    }

    func syntaxDiagnostic(_ error: any Error, text: String) -> Diagnostic {
      var mark: (line: Int, column: Int)?
      var problem = "\(error)"
      switch error as? YamlError {
      case .scanner(_, let text, let at, _)?, .parser(_, let text, let at, _)?, .composer(_, let text, let at, _)?:
        mark = (at.line, at.column)
        problem = text
      case .reader(let readerProblem, let offset, let value, _)?:
        // Said without Yams' snippet, which would print the control character itself.
        mark = offset.map { Self.position(ofByte: $0, in: text) }
        let code = String(UInt32(bitPattern: value), radix: 16, uppercase: true)
        problem = "\(readerProblem) (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))"
      case .duplicatedKeysInMapping(let duplicates, let context)?:
        mark = Self.secondOccurrence(of: duplicates.first ?? "", in: text) ?? (context.mark.line, context.mark.column)
        problem = "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))"
      default:
        break
      }
      return Diagnostic(
        .error, .invalidYAML, "not valid YAML: \(problem)",
        location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1))
    }

    /// The pairs of a mapping node, with unknown keys reported against `known`.
    mutating func entries(_ node: Node, _ path: String, known: [String]?) -> [(key: String, keyNode: Node, value: Node)]
    {
      guard let mapping = node.mapping else {
        error(
          node, path,
          path.isEmpty ? "the file must be a mapping of keys to values" : "must be a mapping of keys to values")
        return []
      }
      var result: [(key: String, keyNode: Node, value: Node)] = []
      var seen: Set<String> = []
      for (keyNode, value) in mapping {
        guard let key = keyNode.scalar?.string else {
          error(keyNode, path, "a key must be plain text")
          continue
        }
        let keyPath = path.isEmpty ? key : "\(path).\(key)"
        if let known, !known.contains(key) {
          let hint = NameSuggestion.nearest(key, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
          error(keyNode, keyPath, "unknown key\(hint)", detail: "Known keys here: \(known.joined(separator: ", ")).")
          continue
        }
        if !seen.insert(key).inserted {
          error(keyNode, keyPath, "duplicate key")
          continue
        }
        if locations[keyPath] == nil { locations[keyPath] = location(keyNode) }
        result.append((key, keyNode, value))
      }
      return result
    }

    /// The text of a scalar node; reports and returns `nil` for anything else or an empty value.
    mutating func scalar(_ node: Node, _ path: String) -> String? {
      guard let scalar = node.scalar else {
        error(node, path, "must be a single value, not a \(node.mapping != nil ? "mapping" : "list")")
        return nil
      }
      if isNull(node) {
        error(node, path, "needs a value")
        return nil
      }
      return scalar.string
    }

    /// Whether `node` is YAML's null written plainly (`~`, `null`, or nothing).
    func isNull(_ node: Node) -> Bool {
      guard let scalar = node.scalar else { return false }
      return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: T.Type) -> T?
    where T.RawValue == String {
      guard let text = scalar(node, path) else { return nil }
      let names = T.allCases.map(\.rawValue)
      // YAML 1.1 readers take on/off for booleans; accept their spellings for on/off choices.
      let aliases = ["true": "on", "yes": "on", "false": "off", "no": "off"]
      if let value = T(rawValue: text) ?? aliases[text.lowercased()].flatMap(T.init(rawValue:)) { return value }
      let hint = NameSuggestion.nearest(text, in: names).map { "; did you mean \"\($0)\"?" } ?? ""
      error(node, path, "must be one of \(names.joined(separator: ", ")), not \"\(text)\"\(hint)")
      return nil
    }

    mutating func bool(_ node: Node, _ path: String) -> Bool? {
      guard let text = scalar(node, path) else { return nil }
      switch text.lowercased() {
      case "true", "yes", "on": return true
      case "false", "no", "off": return false
      default:
        error(node, path, "must be true or false, not \"\(text)\"")
        return nil
      }
    }

    mutating func list(_ node: Node, _ path: String) -> [(String, Node)] {
      guard let sequence = node.sequence else {
        error(node, path, "must be a list, for example [\(node.scalar?.string ?? "key=value")]")
        return []
      }
      var result: [(String, Node)] = []
      for item in sequence {
        guard let text = scalar(item, path) else { continue }
        if locations["\(path).\(text)"] == nil { locations["\(path).\(text)"] = location(item) }
        result.append((text, item))
      }
      return result
    }

    mutating func spec(_ root: Node) -> HostSpec {
      var spec = HostSpec()
      for (key, _, value) in entries(root, "", known: SpecParser.topKeys) {
        FeatureRegistry.feature(owning: key)?.parse(key, value, into: &spec, &self)
      }
      spec.locations = locations
      for feature in FeatureRegistry.features { feature.check(spec, &self) }
      return spec
    }
  }
}
