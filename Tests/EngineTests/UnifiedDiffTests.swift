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
}
