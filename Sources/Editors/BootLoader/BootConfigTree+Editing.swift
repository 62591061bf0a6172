import Augeas
import HostConfig

extension BootConfigTree {
  /// Parses `text` (a kernel command line found in `file` at `line`, starting at 1-based
  /// `column`) with `Cmdline.lns`, lets `body` edit its arguments, and renders it back,
  /// keeping the formatting of what did not change.
  func editCommandLine(
    _ text: String, file: String, line: Int?, column: Int?,
    _ body: (inout ArgumentList) throws(AugeasError) -> Void
  ) throws -> String {
    let parsed = try parseCommandLine(text, in: file, line: line, column: column)
    defer { discardCommandLine() }
    var list = try ArgumentList(tree: augeas, node: parsed.node)
    try body(&list)
    // An unchanged tree renders as the text it was parsed from (Augeas's GetPut law).
    if !list.changed { return text }
    let rendered = try augeas.renderText(lens: "Cmdline.lns", from: parsed.node, original: parsed.text)
    return parsed.leading + rendered + parsed.trailing
  }
}
