/// The type libvirt's lens `libvirtd_qemu.aug` gives a setting of `/etc/libvirt/qemu.conf`.
public enum QemuConfValueType: String, Sendable, Equatable {
  /// `str_entry`: a double-quoted string without `"` (`user = "libvirt-qemu"`).
  case string
  /// `bool_entry`: `0` or `1`, bare.
  case boolean
  /// `int_entry`: digits, bare.
  case integer
  /// `str_array_entry`: a list of double-quoted strings (`namespaces = [ "mount" ]`).
  case stringList = "string list"
  /// `limits_entry`: digits, bare, or the quoted string `"unlimited"` (`max_core`).
  case limit = "number or \"unlimited\""

  /// The lens's name of the entry kind.
  var lensEntry: String {
    switch self {
    case .string: "str_entry"
    case .boolean: "bool_entry"
    case .integer: "int_entry"
    case .stringList: "str_array_entry"
    case .limit: "limits_entry"
    }
  }

  /// `value` as the lens stores it in the tree (a boolean as `0`/`1`, quotes left to the lens),
  /// or why this type refuses it. The same rule for host.yaml and the file.
  public func accept(_ value: QemuConfValue) -> Result<QemuConfValue, QemuConfValueProblem> {
    switch (self, value) {
    case (.stringList, .list(let items)):
      if let bad = items.first(where: { !Self.isStringText($0) }) { return .failure(.badString(bad)) }
      return .success(value)
    case (.stringList, .scalar):
      return .failure(.wrongShape(self))
    case (_, .list):
      return .failure(.wrongShape(self))
    case (.string, .scalar(let text)):
      return Self.isStringText(text) ? .success(value) : .failure(.badString(text))
    case (.boolean, .scalar(let text)):
      switch text.lowercased() {
      case "1", "true", "yes", "on": return .success(.scalar("1"))
      case "0", "false", "no", "off": return .success(.scalar("0"))
      default: return .failure(.notOfType(text, self))
      }
    case (.integer, .scalar(let text)):
      return Self.isDigits(text) ? .success(value) : .failure(.notOfType(text, self))
    case (.limit, .scalar(let text)):
      return Self.isDigits(text) || text == "unlimited" ? .success(value) : .failure(.notOfType(text, self))
    }
  }

  /// The lens's `/[0-9]+/`.
  private static func isDigits(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
  }

  /// The lens's `/[^"]*/`, without line breaks (which would split the setting).
  private static func isStringText(_ text: String) -> Bool {
    !text.contains { $0 == "\"" || $0 == "\n" || $0 == "\r" }
  }
}

/// A value of a qemu.conf setting, as the lens's tree holds it: a scalar (a string without
/// its quotes, or digits) or a list of strings.
public enum QemuConfValue: Hashable, Sendable, CustomStringConvertible {
  /// A string or a number.
  case scalar(String)
  /// A list of strings, in order.
  case list([String])

  /// The value as qemu.conf writes it, for messages and plans.
  public var description: String {
    switch self {
    case .scalar(let text): text
    case .list(let items): "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
  }
}

/// Why a value does not fit a setting's type.
public enum QemuConfValueProblem: Error, Sendable, Equatable, CustomStringConvertible {
  /// A list for a scalar setting, or a scalar for a list setting.
  case wrongShape(QemuConfValueType)
  /// A value the type does not take.
  case notOfType(String, QemuConfValueType)
  /// A string with `"` or a line break, which qemu.conf's strings cannot hold.
  case badString(String)

  public var description: String {
    switch self {
    case .wrongShape(let type): "must be a \(type == .stringList ? "list of strings" : type.rawValue)"
    case .notOfType(let text, let type):
      "must be \(type == .boolean ? "0 or 1 (or true/false)" : type == .integer ? "a number" : type.rawValue), not \"\(text)\""
    case .badString(let text): "cannot hold a double quote or a line break: \"\(text)\""
    }
  }
}

/// The settings qemu.conf can have, with their types, as the root's own lens declares them.
///
/// The key list comes from the lens, not from the shipped qemu.conf: the lens is what reads the
/// file back, its entries carry the types (the shipped file's commented examples do not), and it
/// is the one of the host's libvirt version (a newer libvirt's keys are known on a newer host).
public struct QemuConfSettings: Sendable, Equatable {
  /// Each setting's type, by key.
  public let types: [String: QemuConfValueType]

  /// The settings the lens text `lens` declares (`str_entry "user"`, `bool_entry "vnc_tls"`…).
  /// An entry kind this code does not know (a later libvirt's) leaves its keys out: they are
  /// refused as unknown rather than written in a form that may be wrong.
  public init(lens: String) {
    var types: [String: QemuConfValueType] = [:]
    let kinds: [QemuConfValueType] = [.string, .boolean, .integer, .stringList, .limit]
    for line in lens.split(separator: "\n") {
      var rest = Substring(line)
      while let start = rest.firstIndex(where: { $0.isLetter }) {
        rest = rest[start...]
        let word = rest.prefix { $0.isLetter || $0 == "_" }
        rest = rest.dropFirst(word.count)
        guard let kind = kinds.first(where: { $0.lensEntry == word }) else { continue }
        let spaced = rest.drop { $0 == " " || $0 == "\t" }
        guard spaced.first == "\"" else { continue }
        let name = spaced.dropFirst().prefix { $0 != "\"" }
        if !name.isEmpty, spaced.dropFirst(name.count + 1).first == "\"" { types[String(name)] = kind }
        rest = spaced.dropFirst(name.count + 1)
      }
    }
    self.types = types
  }

  /// The keys, sorted.
  public var keys: [String] { types.keys.sorted() }
}
