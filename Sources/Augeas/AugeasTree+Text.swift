internal import CAugeas

extension AugeasTree {
  private static let textIn = "/virthost/text/in"
  private static let textOut = "/virthost/text/out"

  /// Parses `text` with `lens` (for example a kernel command line with
  /// `Cmdline.lns`) into the tree at `path`, without any file.
  ///
  /// The corresponding Augeas function is `aug_text_store`. The lens's module
  /// is loaded on first use. Whatever stood at `path` is replaced.
  /// - Throws: `.textFailed` with a ``FileProblem`` (file `"<text>"`) naming
  ///   the position and message when the lens does not accept the text.
  public func parseText(_ text: String, lens: String, into path: String) throws(AugeasError) {
    try set(Self.textIn, text)
    defer { _ = try? remove("/virthost") }
    let result = try withHandle { (handle) throws(AugeasError) -> Int32 in
      aug_text_store(handle, lens, Self.textIn, inner(path))
    }
    if result < 0 { throw textError(operation: "aug_text_store", lens: lens, path: path) }
  }

  /// Renders the tree at `path` back to text with `lens`, given the text it
  /// was parsed from (so that unchanged parts keep their formatting).
  ///
  /// The corresponding Augeas function is `aug_text_retrieve`.
  /// - Throws: `.textFailed` when the tree cannot be rendered with the lens.
  public func renderText(lens: String, from path: String, original: String) throws(AugeasError) -> String {
    try set(Self.textIn, original)
    defer { _ = try? remove("/virthost") }
    let result = try withHandle { (handle) throws(AugeasError) -> Int32 in
      aug_text_retrieve(handle, lens, Self.textIn, inner(path), Self.textOut)
    }
    if result < 0 { throw textError(operation: "aug_text_retrieve", lens: lens, path: path) }
    return try get(Self.textOut) ?? ""
  }

  private func textError(operation: String, lens: String, path: String) -> AugeasError {
    var error =
      (try? withHandle { (handle) throws(AugeasError) -> AugeasError in
        Self.error(handle, operation: operation, path: path)
      }) ?? AugeasError(code: .textFailed, operation: operation, path: path, message: "failed")
    error.code = .textFailed
    if var problem = problems(under: "/augeas/text").first {
      problem.file = "<text>"
      if problem.lens == nil { problem.lens = lens }
      error.file = problem
    }
    return error
  }
}
