import Foundation

/// The arguments Ansible hands a binary module: the path of a JSON file holding
/// the task's options and Ansible's own `_ansible_*` keys.
///
/// Not for the command line: `virthost plan` and `apply` take flags instead.
struct ModuleArguments: Equatable {
  /// Where the desired state comes from.
  enum SpecSource: Equatable {
    /// The spec inline, as JSON text (JSON is YAML, so the spec parser reads it as is).
    case inline(String)
    /// A spec file on the managed host.
    case file(String)
  }

  /// The options a task may give; anything else is refused by name.
  static let options = ["spec", "spec_file", "root", "ksmtuned_binary"]

  var spec: SpecSource
  var root: String
  /// Where `virthost-ksmtuned` stands on the managed host, for `ksm.tuner: bundled`
  /// (a module runs alone from Ansible's temporary folder, without its sibling).
  var tunerBinary: String?
  var checkMode: Bool
  var diff: Bool

  /// Whether `arguments` (the process's, program name first) is a module
  /// invocation: exactly one argument, a readable file holding a JSON object
  /// with Ansible's `_ansible_` keys.
  static func isInvocation(_ arguments: [String]) -> Bool {
    guard arguments.count == 2, let object = try? jsonObject(atPath: arguments[1]) else { return false }
    return object.keys.contains { $0.hasPrefix("_ansible_") }
  }

  /// Reads and checks the arguments file at `path`.
  ///
  /// - Throws: ``ModuleFailure`` naming what is wrong: an unreadable file,
  ///   no JSON object, an unknown option, a wrong type, both or neither of
  ///   `spec` and `spec_file`.
  init(path: String) throws(ModuleFailure) {
    let object: [String: Any]
    do {
      object = try Self.jsonObject(atPath: path)
    } catch {
      throw ModuleFailure("cannot read the module arguments in \(path): \(error.localizedDescription)")
    }
    let unknown = object.keys.filter { !$0.hasPrefix("_ansible_") && !Self.options.contains($0) }.sorted()
    if !unknown.isEmpty {
      throw ModuleFailure(
        "unsupported parameter\(unknown.count > 1 ? "s" : ""): \(unknown.joined(separator: ", "))"
          + " (supported: \(Self.options.joined(separator: ", ")))")
    }
    switch (object["spec"], object["spec_file"]) {
    case (nil, nil), (is NSNull, nil), (nil, is NSNull):
      throw ModuleFailure("one of spec (the desired state as a mapping) or spec_file (a path) is required")
    case (let inline?, nil):
      guard inline is [String: Any],
        let data = try? JSONSerialization.data(withJSONObject: inline, options: [.sortedKeys]),
        let text = String(data: data, encoding: .utf8)
      else { throw ModuleFailure("spec must be a mapping of the desired state, for example {iommu: on}") }
      spec = .inline(text)
    case (nil, let file?):
      guard let file = file as? String, file.hasPrefix("/") else {
        throw ModuleFailure("spec_file must be an absolute path on the managed host")
      }
      spec = .file(file)
    default:
      throw ModuleFailure("spec and spec_file are mutually exclusive: give one")
    }
    switch object["root"] {
    case nil, is NSNull: root = "/"
    case let value as String where value.hasPrefix("/"): root = value
    default: throw ModuleFailure("root must be an absolute path, for example / or /srv/images/host1")
    }
    switch object["ksmtuned_binary"] {
    case nil, is NSNull: tunerBinary = nil
    case let value as String where value.hasPrefix("/"): tunerBinary = value
    default: throw ModuleFailure("ksmtuned_binary must be an absolute path on the managed host")
    }
    checkMode = object["_ansible_check_mode"] as? Bool ?? false
    diff = object["_ansible_diff"] as? Bool ?? false
  }

  private static func jsonObject(atPath path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CocoaError(.propertyListReadCorrupt, userInfo: [NSLocalizedDescriptionKey: "not a JSON object"])
    }
    return object
  }
}

/// Why a module run failed: becomes `{"failed": true, "msg": …}`.
struct ModuleFailure: Error, Equatable {
  var message: String
  init(_ message: String) { self.message = message }
}
