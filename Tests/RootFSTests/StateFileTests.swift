import Foundation
import RootFS
import TestSupport
import Testing

/// State is read only where no other user could have put it: no link on the way, every
/// folder from `/` down and the file root's alone (a root-owned sticky folder such as /tmp
/// excepted), judged by the opened descriptors; sealed state authenticates only with the
/// key and root it was sealed for.
@Suite struct StateFileTests {
  @Test func aStateFileInRootsOwnFoldersIsRead() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/var/lib/virthost/trace", "ok\n")
    chmod(temporary.path + "/var/lib/virthost/trace", 0o600)
    #expect(try temporary.host.readState("/var/lib/virthost/trace") == Array("ok\n".utf8))
    #expect(temporary.host.stateFolderProblem("/var/lib/virthost") == nil)
    #expect(temporary.host.stateFolderProblem("/var/lib/virthost/not/yet") == nil)
    #expect(try temporary.host.listState("/var/lib/virthost") == ["trace"])
    #expect(try temporary.host.listState("/var/lib/none") == [])
    let missing = #expect(throws: StateFileError.self) { try temporary.host.readState("/var/lib/virthost/none") }
    #expect(missing?.kind == .missing)
  }

  @Test func aLinkOnTheWayOrAtTheFileIsRefused() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/elsewhere/trace", "forged\n")
    try FileManager.default.createDirectory(atPath: temporary.path + "/var/lib", withIntermediateDirectories: true)
    try temporary.link("/var/lib/virthost", to: "/elsewhere")
    let folder = #expect(throws: StateFileError.self) { try temporary.host.readState("/var/lib/virthost/trace") }
    #expect(folder == StateFileError(.untrusted, temporary.path + "/var/lib/virthost", "is a symbolic link"))
    try FileManager.default.removeItem(atPath: temporary.path + "/var/lib/virthost")
    try FileManager.default.createDirectory(
      atPath: temporary.path + "/var/lib/virthost", withIntermediateDirectories: true)
    try temporary.link("/var/lib/virthost/trace", to: "/elsewhere/trace")
    let file = #expect(throws: StateFileError.self) { try temporary.host.readState("/var/lib/virthost/trace") }
    #expect(file == StateFileError(.untrusted, temporary.path + "/var/lib/virthost/trace", "is a symbolic link"))
  }

  @Test func aFolderOrFileOthersCanWriteOrAnotherUserOwnsIsRefused() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/var/lib/virthost/trace", "x\n")
    let folder = temporary.path + "/var/lib/virthost"
    chmod(folder, 0o775)
    #expect(
      temporary.host.stateFolderProblem("/var/lib/virthost")
        == StateFileError(.untrusted, folder, "is a folder writable by its group or others (mode 775)"))
    // A folder above the root counts as much as one inside it.
    chmod(folder, 0o755)
    chmod(temporary.path, 0o757)
    #expect(temporary.host.stateFolderProblem("/var/lib/virthost")?.path == temporary.path)
    chmod(temporary.path, 0o755)
    if getuid() == 0 {
      chown(folder, 65534, 65534)
      #expect(
        temporary.host.stateFolderProblem("/var/lib/virthost")
          == StateFileError(.untrusted, folder, "is a folder owned by uid 65534, not by root"))
      chown(folder, 0, 0)
    }
    chmod(folder + "/trace", 0o622)
    let file = #expect(throws: StateFileError.self) { try temporary.host.readState("/var/lib/virthost/trace") }
    #expect(file?.reason == "is a file writable by its group or others (mode 622)")
    // Root's sticky /tmp, which every test root is under, is no such folder.
    chmod(folder + "/trace", 0o644)
    #expect(try temporary.host.readState("/var/lib/virthost/trace") == Array("x\n".utf8))
  }

  @Test func hmacIsRFC4231TestCaseTwo() {
    let mac = HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
    #expect(SHA256.hex(bytes: mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    let long = HMAC.sha256(
      key: Array(repeating: 0xaa, count: 131),
      message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
    #expect(SHA256.hex(bytes: long) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  }

  @Test func sealedStateAuthenticatesOnlyWithItsKeyAndRoot() throws {
    let one = try FixtureRoot()
    let other = try FixtureRoot()
    let key = StateKey(bytes: Array(repeating: 1, count: 32))
    let payload = Array(#"{"a":1}"#.utf8)
    let bytes = SealedState.seal(payload, kind: "test", version: 2, root: one.host, key: key)
    #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"format_version":2,"kind":"test","mac":"hmac-sha256:"#))
    #expect(try JSONSerialization.jsonObject(with: Data(bytes)) is [String: Any])
    let opened = try #require(SealedState.open(bytes, root: one.host, key: key))
    #expect(opened.version == 2 && opened.kind == "test" && opened.payload == payload && opened.isAuthentic)
    #expect(SealedState.open(bytes, root: other.host, key: key)?.isAuthentic == false)
    #expect(
      SealedState.open(bytes, root: one.host, key: StateKey(bytes: Array(repeating: 2, count: 32)))?.isAuthentic
        == false)
    #expect(SealedState.open(bytes, root: one.host, key: nil)?.isAuthentic == false)
    var changed = bytes
    changed[changed.count - 4] = UInt8(ascii: "2")
    #expect(SealedState.open(changed, root: one.host, key: key)?.isAuthentic == false)
    #expect(SealedState.open(Array(#"{"files":[]}"#.utf8), root: one.host, key: key) == nil)
    #expect(SealedState.open(Array(bytes.dropLast()), root: one.host, key: key) == nil)
  }
}
