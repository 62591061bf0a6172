extension HostRoot {
  /// The answer of a path whose links loop.
  static let loopAnswer = "links loop"
  /// The answer of a path where nothing is.
  static let absentAnswer = "absent"

  /// Records `answer` for `probe` in the ``ReadRecorder`` bound to this task, when it
  /// records this root; nothing otherwise (the answer is then not even computed).
  func note(_ probe: ReadTrace.Probe, _ answer: @autoclosure () -> String) {
    guard let recorder = ReadRecorder.current, recorder.root == path else { return }
    recorder.record(probe, answer())
  }

  /// The answer to `probe` now, as ``note(_:_:)`` would have recorded it; nothing is recorded.
  func answer(_ probe: ReadTrace.Probe) -> String {
    switch probe {
    case .read(let file):
      do { return "sha256:" + SHA256.hex(try readUnrecorded(file)) } catch { return Self.answer(error) }
    case .list(let folder, let hidden):
      do { return Self.answer(try listUnrecorded(folder, includingHidden: hidden)) } catch { return Self.answer(error) }
    case .status(let entry, let links):
      return statusUnrecorded(entry, followingLinks: links).map(\.answer) ?? Self.absentAnswer
    case .resolve(let entry):
      return resolveUnrecorded(entry) ?? Self.loopAnswer
    case .linkText(let entry):
      return linkTextUnrecorded(entry).map { "-> " + $0 } ?? "not a link"
    }
  }

  /// A failed read or listing, as a trace keeps it: `absent`, or the error's sentence.
  static func answer(_ error: HostRootError) -> String {
    if case .notFound = error { return absentAnswer }
    return "error: \(error)"
  }

  /// A listing, as a trace keeps it: the names, one a line.
  static func answer(_ names: [String]) -> String { "names:\n" + names.joined(separator: "\n") }
}

extension FileStatus {
  /// The status as a trace keeps it: `regular 0644 0:0 1234 bytes`; the size of regular
  /// files only (a folder's size is the file system's business and grows with its entries).
  var answer: String {
    let octal = String(mode, radix: 8)
    let text = "\(kind) \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal) \(owner):\(group)"
    return kind == .regular ? text + " \(size) bytes" : text
  }
}
