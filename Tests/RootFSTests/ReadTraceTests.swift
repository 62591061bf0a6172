import Foundation
import RootFS
import TestSupport
import Testing

/// The read trace recorded by ``HostRoot`` itself while a ``ReadRecorder`` is bound.
@Suite struct ReadTraceTests {
  @Test func everyKindOfReadIsRecordedWithItsAnswer() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/a.conf", "abc")
    try temporary.write("/etc/d/x.conf", "")
    try temporary.link("/etc/link", to: "a.conf")
    let root = temporary.host
    let recorder = ReadRecorder(root: root)
    recorder.recording {
      _ = try? root.read("/etc/link")
      _ = try? root.read("/etc/absent")
      _ = root.listIfPresent("/etc/d")
      _ = root.isFile("/etc/a.conf")
      _ = root.linkText("/etc/link")
      _ = root.resolve("/etc/link")
    }
    let answers = Dictionary(uniqueKeysWithValues: recorder.trace.records.map { ($0.probe, $0.answer) })
    #expect(answers[.read("/etc/link")] == "sha256:" + SHA256.hex(Array("abc".utf8)))
    #expect(answers[.read("/etc/absent")] == "absent")
    #expect(answers[.list("/etc/d", hidden: false)] == "names:\nx.conf")
    #expect(answers[.status("/etc/a.conf", followingLinks: true)]?.hasPrefix("regular 0") == true)
    #expect(answers[.linkText("/etc/link")] == "-> a.conf")
    #expect(answers[.resolve("/etc/link")] == "/etc/a.conf")
    #expect(recorder.trace.mismatch(in: root) == nil, "the same root answers the same")
  }

  @Test func readsOutsideTheRecordingOrOfAnotherRootAreNotRecorded() throws {
    let temporary = try FixtureRoot()
    let other = try FixtureRoot()
    try temporary.write("/a", "1")
    try other.write("/a", "1")
    let recorder = ReadRecorder(root: temporary.host)
    _ = try temporary.host.read("/a")
    recorder.recording { _ = try? other.host.read("/a") }
    #expect(recorder.trace.records.isEmpty)
  }

  @Test func aChangedByteANewNameAndANewFileAreEachAMismatch() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/a.conf", "abc")
    try temporary.write("/etc/d/x.conf", "")
    let root = temporary.host
    let recorder = ReadRecorder(root: root)
    recorder.recording {
      _ = try? root.read("/etc/a.conf")
      _ = root.listIfPresent("/etc/d")
      _ = try? root.read("/etc/absent.conf")
    }
    let trace = recorder.trace
    try temporary.write("/etc/a.conf", "abd")
    #expect(trace.mismatch(in: root) == "read /etc/a.conf changed")
    try temporary.write("/etc/a.conf", "abc")
    try temporary.write("/etc/d/y.conf", "")
    #expect(trace.mismatch(in: root) == "list /etc/d changed")
    try FileManager.default.removeItem(atPath: temporary.path + "/etc/d/y.conf")
    try temporary.write("/etc/absent.conf", "")
    #expect(trace.mismatch(in: root) == "read /etc/absent.conf changed")
    try FileManager.default.removeItem(atPath: temporary.path + "/etc/absent.conf")
    #expect(trace.mismatch(in: root) == nil)
  }

  @Test func aTraceSurvivesItsJSON() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/etc/a.conf", "abc")
    let recorder = ReadRecorder(root: temporary.host)
    recorder.recording {
      _ = try? temporary.host.read("/etc/a.conf")
      _ = temporary.host.listIfPresent("/etc", includingHidden: true)
    }
    let data = try JSONEncoder().encode(recorder.trace)
    #expect(try JSONDecoder().decode(ReadTrace.self, from: data) == recorder.trace)
  }

  @Test func sha256IsTheStandardDigest() {
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }
}
