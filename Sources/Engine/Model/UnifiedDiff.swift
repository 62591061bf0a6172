import Foundation

/// Unified diffs of file operations, as `diff -u` and `git diff` print them: paths
/// from the root with `a/` and `b/` prefixes, three lines of context, so that the
/// text can be pasted into a review or applied with `patch -p1`.
public enum UnifiedDiff {
  /// The diff of `operation`; empty when its bytes do not change. A file that is
  /// not UTF-8 text gets the one line `Binary files … differ`.
  public static func of(_ operation: FileOperation, context: Int = 3) -> String {
    guard operation.before != operation.after else { return "" }
    let relative = operation.path.hasPrefix("/") ? String(operation.path.dropFirst()) : operation.path
    let old = operation.before == nil ? "/dev/null" : "a/\(relative)"
    let new = operation.after == nil ? "/dev/null" : "b/\(relative)"
    guard let before = text(operation.before), let after = text(operation.after) else {
      return "Binary files \(old) and \(new) differ\n"
    }
    return "--- \(old)\n+++ \(new)\n" + hunks(before, after, context: context)
  }

  /// The diffs of `operations`, one after another.
  public static func of(_ operations: [FileOperation]) -> String {
    operations.map { of($0) }.joined()
  }

  /// `data` as text: `""` for no file, `nil` when it is not UTF-8 or holds a NUL byte
  /// (a program, say), which a diff shows as binary.
  public static func text(_ data: Data?) -> String? {
    guard let data else { return "" }
    guard let text = String(data: data, encoding: .utf8), !text.contains("\0") else { return nil }
    return text
  }

  /// A file's lines, each with whether it ended in a newline.
  private struct Line: Equatable {
    var text: Substring
    var terminated: Bool
  }

  private static func lines(_ text: String) -> [Line] {
    guard !text.isEmpty else { return [] }
    var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
    let terminated = parts.last == ""
    if terminated { parts.removeLast() }
    return parts.enumerated().map { Line(text: $0.element, terminated: $0.offset < parts.count - 1 || terminated) }
  }

  private enum Edit {
    case same(Int, Int)
    case delete(Int)
    case insert(Int)
  }

  private static func hunks(_ before: String, _ after: String, context: Int) -> String {
    let a = lines(before)
    let b = lines(after)
    let script = editScript(a, b)
    var output = ""
    var index = 0
    while index < script.count {
      guard let firstChange = script[index...].firstIndex(where: { if case .same = $0 { false } else { true } })
      else { break }
      var end = firstChange
      // Extend the hunk while the next change is within 2 × context unchanged lines.
      while true {
        var next = end + 1
        while next < script.count, case .same = script[next] { next += 1 }
        guard next < script.count, next - end - 1 <= 2 * context else { break }
        end = next
      }
      let start = max(index, firstChange - context)
      let stop = min(script.count, end + 1 + context)
      output += hunk(Array(script[start..<stop]), a, b)
      index = stop
    }
    return output
  }

  private static func hunk(_ edits: [Edit], _ a: [Line], _ b: [Line]) -> String {
    let oldStart: Int
    let newStart: Int
    var oldCount = 0
    var newCount = 0
    var body = ""
    var firstOld: Int?
    var firstNew: Int?
    func emit(_ prefix: String, _ line: Line) {
      body += prefix + line.text + "\n"
      if !line.terminated { body += "\\ No newline at end of file\n" }
    }
    for edit in edits {
      switch edit {
      case .same(let i, let j):
        firstOld = firstOld ?? i
        firstNew = firstNew ?? j
        oldCount += 1
        newCount += 1
        emit(" ", a[i])
      case .delete(let i):
        firstOld = firstOld ?? i
        oldCount += 1
        emit("-", a[i])
      case .insert(let j):
        firstNew = firstNew ?? j
        newCount += 1
        emit("+", b[j])
      }
    }
    // With context lines, a side is empty only for an empty file, which starts at 0.
    oldStart = oldCount == 0 ? 0 : (firstOld ?? 0) + 1
    newStart = newCount == 0 ? 0 : (firstNew ?? 0) + 1
    return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n" + body
  }

  private static func range(_ start: Int, _ count: Int) -> String {
    count == 1 ? "\(start)" : "\(start),\(count)"
  }

  /// The shortest edit script from `a` to `b` (Myers' O(ND) algorithm).
  private static func editScript(_ a: [Line], _ b: [Line]) -> [Edit] {
    let n = a.count
    let m = b.count
    let offset = n + m + 1
    var v = [Int](repeating: 0, count: 2 * offset + 1)
    var trace: [[Int]] = []
    search: for d in 0...(n + m) {
      trace.append(v)
      for k in stride(from: -d, through: d, by: 2) {
        var x =
          (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1] : v[offset + k - 1] + 1
        var y = x - k
        while x < n, y < m, a[x] == b[y] {
          x += 1
          y += 1
        }
        v[offset + k] = x
        if x >= n, y >= m { break search }
      }
    }
    var edits: [Edit] = []
    var x = n
    var y = m
    for d in stride(from: trace.count - 1, through: 0, by: -1) {
      let v = trace[d]
      let k = x - y
      let previousK = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? k + 1 : k - 1
      let previousX = d == 0 ? 0 : v[offset + previousK]
      let previousY = d == 0 ? 0 : previousX - previousK
      while x > previousX, y > previousY {
        x -= 1
        y -= 1
        edits.append(.same(x, y))
      }
      if d > 0 {
        if x == previousX {
          y -= 1
          edits.append(.insert(y))
        } else {
          x -= 1
          edits.append(.delete(x))
        }
      }
    }
    return edits.reversed()
  }
}
