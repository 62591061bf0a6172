import Foundation

/// The arguments Ansible hands a binary module: the path of a JSON file holding
/// the task's options and Ansible's own `_ansible_*` keys. The collection's module
/// (ansible/virthost/kvm/plugins/modules/virthost.py) sends the same JSON on standard
/// input and names `/dev/stdin` as the file, which is read once.
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

  /// The options a task may give; anything else is refused by name. `executable` belongs to the
  /// collection's module (plugins/modules/virthost.py), which runs the binary it names and does
  /// not pass it on; the binary accepts it (as a binary module's file may hold it) and does
  /// nothing with it.
  static let options = ["executable", "ksmtuned_binary", "root", "spec", "spec_file"]

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
      // Ansible's own wording (AnsibleModule's argument_spec validation), so the message reads
      // as every other module's; the name is the one the task used, when Ansible passes it.
      let name = object["_ansible_module_name"] as? String ?? "virthost"
      throw ModuleFailure(
        "Unsupported parameters for (\(name)) module: \(unknown.joined(separator: ", "))."
          + " Supported parameters include: \(Self.options.joined(separator: ", ")).")
    }
    switch (Self.given(object["spec"]), Self.given(object["spec_file"])) {
    case (nil, nil):
      throw ModuleFailure("one of the following is required: spec, spec_file")
    case (let inline?, nil):
      guard inline is [String: Any],
        let data = try? JSONSerialization.data(withJSONObject: inline, options: [.sortedKeys]),
        let text = String(data: data, encoding: .utf8)
      else {
        throw ModuleFailure(
          "argument 'spec' is of type \(Self.typeName(inline)) and we were unable to convert to dict:"
            + " the desired state is a mapping, for example {iommu: on}")
      }
      spec = .inline(text)
    case (nil, let file?):
      spec = .file(try Self.absolutePath(file, option: "spec_file", example: "/etc/virthost/host.yaml"))
    default:
      throw ModuleFailure("parameters are mutually exclusive: spec|spec_file")
    }
    root =
      try Self.given(object["root"]).map { value throws(ModuleFailure) in
        try Self.absolutePath(value, option: "root", example: "/ or /srv/images/host1")
      } ?? "/"
    tunerBinary = try Self.given(object["ksmtuned_binary"]).map { value throws(ModuleFailure) in
      try Self.absolutePath(value, option: "ksmtuned_binary", example: "/usr/sbin/virthost-ksmtuned")
    }
    checkMode = object["_ansible_check_mode"] as? Bool ?? false
    diff = object["_ansible_diff"] as? Bool ?? false
  }

  /// `value` unless it is absent or JSON `null` (an omitted option: Ansible passes `null`).
  private static func given(_ value: Any?) -> Any? {
    value is NSNull ? nil : value
  }

  /// A path option's value: a string that starts with `/`.
  private static func absolutePath(_ value: Any, option: String, example: String) throws(ModuleFailure) -> String {
    guard let path = value as? String else {
      throw ModuleFailure(
        "argument '\(option)' is of type \(typeName(value)) and we were unable to convert to path")
    }
    guard path.hasPrefix("/") else {
      throw ModuleFailure("\(option) must be an absolute path on the managed host, for example \(example)")
    }
    return path
  }

  /// The Python type name Ansible shows for a JSON value (`str`, `int`, `list`…).
  private static func typeName(_ value: Any) -> String {
    switch value {
    case is String: "str"
    case is [Any]: "list"
    case is [String: Any]: "dict"
    // JSONSerialization's numbers: a boolean's Objective-C type is `c`, a fraction's `d`.
    case let number as NSNumber:
      switch String(cString: number.objCType) {
      case "c": "bool"
      case "d", "f": "float"
      default: "int"
      }
    default: "NoneType"
    }
  }

  /// The path under which the arguments come on standard input.
  static let standardInputPath = "/dev/stdin"

  /// Standard input, read to its end once: a pipe cannot be read again, and the arguments
  /// are read by ``isInvocation(_:)`` before ``init(path:)``.
  private static let standardInput = FileHandle.standardInput.readDataToEndOfFile()

  private static func jsonObject(atPath path: String) throws -> [String: Any] {
    let data = path == standardInputPath ? standardInput : try Data(contentsOf: URL(fileURLWithPath: path))
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
