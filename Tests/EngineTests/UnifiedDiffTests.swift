import Foundation
import TestSupport
import Testing

@testable import Engine

@Suite struct UnifiedDiffTests {
  static func operation(_ before: String?, _ after: String?, path: String = "/etc/x.conf") -> FileOperation {
    FileOperation(path: path, before: before.map { Data($0.utf8) }, after: after.map { Data($0.utf8) })
  }

  @Test func showsOneHunkWithThreeLinesOfContextAndABPrefixes() {
    let before = (1...10).map { "line \($0)\n" }.joined()
    let after = before.replacingOccurrences(of: "line 5\n", with: "line five\n")
    #expect(
      UnifiedDiff.of(Self.operation(before, after)) == """
        --- a/etc/x.conf
        +++ b/etc/x.conf
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8

        """)
  }

  @Test func splitsChangesFarApartIntoTwoHunks() {
    let before = (1...20).map { "\($0)\n" }.joined()
    let after = before.replacingOccurrences(of: "\n2\n", with: "\ntwo\n").replacingOccurrences(
      of: "\n19\n", with: "\n19\nnineteen and a half\n")
    #expect(
      UnifiedDiff.of(Self.operation(before, after)) == """
        --- a/etc/x.conf
        +++ b/etc/x.conf
        @@ -1,5 +1,5 @@
         1
        -2
        +two
         3
         4
         5
        @@ -17,4 +17,5 @@
         17
         18
         19
        +nineteen and a half
         20

        """)
  }

  @Test func createdAndRemovedFilesDiffAgainstDevNull() {
    #expect(
      UnifiedDiff.of(Self.operation(nil, "a\nb\n")) == "--- /dev/null\n+++ b/etc/x.conf\n@@ -0,0 +1,2 @@\n+a\n+b\n")
    #expect(UnifiedDiff.of(Self.operation("a\n", nil)) == "--- a/etc/x.conf\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n")
  }

  @Test func marksALastLineWithoutNewline() {
    #expect(
      UnifiedDiff.of(Self.operation("a\nb", "a\nc")) == """
        --- a/etc/x.conf
        +++ b/etc/x.conf
        @@ -1,2 +1,2 @@
         a
        -b
        \\ No newline at end of file
        +c
        \\ No newline at end of file

        """)
  }

  @Test func binaryFilesAndUnchangedFiles() {
    let binary = FileOperation(path: "/usr/local/sbin/tool", before: nil, after: Data([0x7F, 0x45, 0x00, 0xFF]))
    #expect(UnifiedDiff.of(binary) == "Binary files /dev/null and b/usr/local/sbin/tool differ\n")
    #expect(UnifiedDiff.of(Self.operation("same\n", "same\n")) == "")
  }

  @Test func theDiffAppliesWithPatch() throws {
    let before = (1...30).map { "setting_\($0)=\($0)\n" }.joined()
    var lines = before.split(separator: "\n").map(String.init)
    lines[3] = "setting_4=four"
    lines.insert("added=1", at: 20)
    lines.remove(at: 28)
    let after = lines.joined(separator: "\n") + "\n"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("etc"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(before.utf8).write(to: folder.appendingPathComponent("etc/x.conf"))
    let diff = folder.appendingPathComponent("x.diff")
    try Data(UnifiedDiff.of(Self.operation(before, after)).utf8).write(to: diff)
    let patch = try ProgramRun.run("/usr/bin/patch", ["-s", "-p1", "-d", folder.path, "-i", diff.path])
    #expect(patch.status == 0, "\(patch.transcript)")
    #expect(try String(contentsOf: folder.appendingPathComponent("etc/x.conf"), encoding: .utf8) == after)
  }

  /// The length of a longest common subsequence of `a` and `b` (dynamic programming).
  static func lcs(_ a: [String], _ b: [String]) -> Int {
    var row = [Int](repeating: 0, count: b.count + 1)
    for line in a {
      var diagonal = 0
      for j in b.indices {
        let above = row[j + 1]
        row[j + 1] = line == b[j] ? diagonal + 1 : max(row[j], above)
        diagonal = above
      }
    }
    return row[b.count]
  }

  /// Random files over a few distinct lines (many repeats, the hard case): with the whole
  /// file as context, the one hunk gives back both files, has n + m - 2 × LCS changed lines
  /// (a shortest edit script), and shows each run of changes as deletions then insertions.
  @Test func everyDiffIsAShortestEditScriptThatGivesBackBothFiles() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<400 {
      let a = (0..<next(30)).map { _ in "l\(next(5))" }
      let b = (0..<next(30)).map { _ in "l\(next(5))" }
      let before = a.map { $0 + "\n" }.joined()
      let after = b.map { $0 + "\n" }.joined()
      let diff = UnifiedDiff.of(Self.operation(before, after), context: 1_000)
      guard before != after else {
        #expect(diff == "")
        continue
      }
      let body = diff.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).dropLast()
      #expect(body.filter { $0.first != "+" }.map { String($0.dropFirst()) } == a)
      #expect(body.filter { $0.first != "-" }.map { String($0.dropFirst()) } == b)
      #expect(body.filter { $0.first != " " }.count == a.count + b.count - 2 * Self.lcs(a, b), "\(a) → \(b)")
      #expect(!zip(body, body.dropFirst()).contains { $0.first == "+" && $1.first == "-" }, "\(diff)")
    }
  }

  /// 2000 edited entries of a menu: 4000 changed lines, diffed in linear memory.
  @Test func aMenuOf2000EditedEntriesGivesOneChangePerKernelLine() {
    let before = (0..<2000).map { "title \($0)\n\troot (hd0,0)\n\tkernel /vmlinuz-\($0) ro quiet\n" }.joined()
    let after = before.replacingOccurrences(of: " ro quiet\n", with: " ro quiet amd_iommu=on\n")
    let diff = UnifiedDiff.of(Self.operation(before, after))
    let lines = diff.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("-\tkernel") }.count == 2000)
    #expect(lines.filter { $0.hasPrefix("+\tkernel") && $0.hasSuffix(" amd_iommu=on") }.count == 2000)
    #expect(lines.filter { $0.hasPrefix("@@") }.count == 1)
  }
}
