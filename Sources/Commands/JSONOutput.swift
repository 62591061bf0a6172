import Engine
import Foundation

/// How the commands print JSON other than the plan document: pretty-printed, keys sorted
/// and in snake case, slashes unescaped, a final newline, as ``PlanDocument/json()``.
enum JSONOutput {
  /// `value` as JSON text.
  static func text(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let data = (try? encoder.encode(value)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}

/// What `--format json` prints when no plan could be made: the plan document's
/// `format_version` and `diagnostics`, and nothing else.
struct DiagnosticsDocument: Encodable {
  /// ``Plan/formatVersion``.
  var formatVersion = Plan.formatVersion
  /// Why no plan was made, each with its position in the desired state.
  var diagnostics: [Diagnostic]
}
