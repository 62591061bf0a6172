import Foundation

/// A JSON scalar, or an empty array or object, as a test expects it: written with
/// Swift literals (`"amd"`, `6`, `true`, `nil`, `[]`).
public enum JSONLeaf: Equatable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral,
  ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
  case string(String)
  case number(Int)
  case bool(Bool)
  case null
  case emptyArray
  case emptyObject

  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .number(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(nilLiteral: ()) { self = .null }
  public init(arrayLiteral elements: Never...) { self = .emptyArray }

  public var description: String {
    switch self {
    case .string(let text): "\"\(text)\""
    case .number(let number): "\(number)"
    case .bool(let flag): "\(flag)"
    case .null: "null"
    case .emptyArray: "[]"
    case .emptyObject: "{}"
    }
  }
}

/// A decoded JSON document, kept exactly as written: a number stays apart from a Boolean.
private indirect enum JSONNode: Decodable {
  case leaf(JSONLeaf)
  case array([JSONNode])
  case object([String: JSONNode])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .leaf(.null)
    } else if let flag = try? container.decode(Bool.self) {
      self = .leaf(.bool(flag))
    } else if let number = try? container.decode(Int.self) {
      self = .leaf(.number(number))
    } else if let text = try? container.decode(String.self) {
      self = .leaf(.string(text))
    } else if let array = try? container.decode([JSONNode].self) {
      self = array.isEmpty ? .leaf(.emptyArray) : .array(array)
    } else {
      let object = try container.decode([String: JSONNode].self)
      self = object.isEmpty ? .leaf(.emptyObject) : .object(object)
    }
  }
}

/// Every leaf of a JSON document by its path: `facts.cpu.vendor.value`,
/// `facts.kernel.cmdline.value[0]`.
public func jsonLeaves(_ text: String) throws -> [String: JSONLeaf] {
  var leaves: [String: JSONLeaf] = [:]
  func walk(_ node: JSONNode, _ path: String) {
    switch node {
    case .leaf(let leaf): leaves[path] = leaf
    case .array(let items):
      for (index, item) in items.enumerated() { walk(item, "\(path)[\(index)]") }
    case .object(let members):
      for (key, member) in members { walk(member, path.isEmpty ? key : "\(path).\(key)") }
    }
  }
  walk(try JSONDecoder().decode(JSONNode.self, from: Data(text.utf8)), "")
  return leaves
}

extension Dictionary where Key == String, Value == JSONLeaf {
  /// These leaves with the array at `path` replaced by `items` (`[]` when empty).
  public func replacing(array path: String, with items: [String]) -> Self {
    var result = filter { !$0.key.hasPrefix(path + "[") && $0.key != path }
    if items.isEmpty { result[path] = .emptyArray }
    for (index, item) in items.enumerated() { result["\(path)[\(index)]"] = .string(item) }
    return result
  }

  /// These leaves with `changes` applied.
  public func changing(_ changes: Self) -> Self { merging(changes) { $1 } }

  /// These leaves with each of the fact `paths` made unknown for `reason`.
  public func unknown(_ paths: [String], _ reason: (String) -> String) -> Self {
    var result = self
    for path in paths {
      result = result.filter { !$0.key.hasPrefix(path + ".value[") }
      result[path + ".value"] = .null
      result[path + ".unknown"] = .string(reason(path))
    }
    return result
  }
}
