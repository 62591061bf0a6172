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
  private struct Line: Hashable {
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

  /// The shortest edit script from `a` to `b`, each run of changes written as its
  /// deletions then its insertions (as `diff -u` shows them).
  private static func editScript(_ a: [Line], _ b: [Line]) -> [Edit] {
    // Lines compared as numbers: equal lines get the same one.
    var numbers: [Line: Int] = [:]
    let x = a.map { line in
      numbers[line]
        ?? {
          numbers[line] = numbers.count
          return numbers.count - 1
        }()
    }
    let y = b.map { line in
      numbers[line]
        ?? {
          numbers[line] = numbers.count
          return numbers.count - 1
        }()
    }
    var script = ShortestEditScript(x, y)
    script.solve(0..<x.count, 0..<y.count)
    return grouped(script.edits)
  }

  /// `edits` with each run of deletions and insertions reordered: the deletions first.
  private static func grouped(_ edits: [Edit]) -> [Edit] {
    var result: [Edit] = []
    result.reserveCapacity(edits.count)
    var inserted: [Edit] = []
    for edit in edits {
      switch edit {
      case .same:
        result += inserted
        inserted.removeAll(keepingCapacity: true)
        result.append(edit)
      case .delete: result.append(edit)
      case .insert: inserted.append(edit)
      }
    }
    return result + inserted
  }

  /// Myers' O(ND) difference algorithm in its linear-space form: the middle snake of an
  /// optimal path splits the problem in two, each solved the same way. The greedy form
  /// keeps every step's furthest points to trace the path back, O(D × (N + M)) memory:
  /// gigabytes for a menu of 2000 edited entries.
  private struct ShortestEditScript {
    let a: [Int]
    let b: [Int]
    private(set) var edits: [Edit] = []
    /// The furthest x reached on each diagonal, forward and backward, reused by every split.
    private var forward: [Int]
    private var backward: [Int]

    init(_ a: [Int], _ b: [Int]) {
      self.a = a
      self.b = b
      forward = [Int](repeating: 0, count: 2 * (a.count + b.count) + 3)
      backward = forward
      edits.reserveCapacity(a.count + b.count)
    }

    mutating func solve(_ old: Range<Int>, _ new: Range<Int>) {
      var old = old
      var new = new
      while !old.isEmpty, !new.isEmpty, a[old.lowerBound] == b[new.lowerBound] {
        edits.append(.same(old.lowerBound, new.lowerBound))
        old = old.dropFirst()
        new = new.dropFirst()
      }
      var common = 0
      while !old.isEmpty, !new.isEmpty, a[old.upperBound - 1] == b[new.upperBound - 1] {
        old = old.dropLast()
        new = new.dropLast()
        common += 1
      }
      if old.isEmpty {
        for j in new { edits.append(.insert(j)) }
      } else if new.isEmpty {
        for i in old { edits.append(.delete(i)) }
      } else {
        // Both sides differ at their first and last lines: D ≥ 2, and each half is smaller.
        let (i, j) = middle(old, new)
        solve(old.lowerBound..<i, new.lowerBound..<j)
        solve(i..<old.upperBound, j..<new.upperBound)
      }
      for offset in 0..<common { edits.append(.same(old.upperBound + offset, new.upperBound + offset)) }
    }

    /// A point (old line, new line) on an optimal path of `old` against `new`, where the
    /// forward and backward searches meet (the start of a middle snake).
    private mutating func middle(_ old: Range<Int>, _ new: Range<Int>) -> (Int, Int) {
      let n = old.count
      let m = new.count
      let delta = n - m
      let odd = delta % 2 != 0
      let center = n + m + 1
      forward[center + 1] = 0
      backward[center + 1] = 0
      for d in 0...((n + m + 1) / 2) {
        for k in stride(from: -d, through: d, by: 2) {
          var x =
            (k == -d || (k != d && forward[center + k - 1] < forward[center + k + 1]))
            ? forward[center + k + 1] : forward[center + k - 1] + 1
          var y = x - k
          let start = (x, y)
          while x < n, y < m, a[old.lowerBound + x] == b[new.lowerBound + y] {
            x += 1
            y += 1
          }
          forward[center + k] = x
          // Does it overlap the backward path on this diagonal (which is delta - k there)?
          if odd, (delta - k) >= -(d - 1), (delta - k) <= d - 1, x + backward[center + delta - k] >= n {
            return (old.lowerBound + start.0, new.lowerBound + start.1)
          }
        }
        for k in stride(from: -d, through: d, by: 2) {
          var x =
            (k == -d || (k != d && backward[center + k - 1] < backward[center + k + 1]))
            ? backward[center + k + 1] : backward[center + k - 1] + 1
          var y = x - k
          while x < n, y < m, a[old.upperBound - 1 - x] == b[new.upperBound - 1 - y] {
            x += 1
            y += 1
          }
          backward[center + k] = x
          if !odd, (delta - k) >= -d, (delta - k) <= d, x + forward[center + delta - k] >= n {
            return (old.upperBound - x, new.upperBound - y)
          }
        }
      }
      // Not reached: the searches meet by step (n + m + 1) / 2.
      return (old.lowerBound + n / 2, new.lowerBound + m / 2)
    }
  }
}
