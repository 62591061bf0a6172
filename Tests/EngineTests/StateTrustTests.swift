import Foundation
import RootFS
import TestSupport
import Testing

@testable import Engine

/// Nothing root reads of virthost's own state can be planted by another user: a trace or
/// backup in a folder that user owns is never used, even while they swap files in it; a
/// trace made elsewhere (another root, another key, another account) is "not written on
/// this machine"; a backup's manifest cannot send a rollback outside what the apply wrote.
/// The other user is real: `nobody`, through `setpriv`.
@Suite(.enabled(if: UnprivilegedUser.isAvailable))
struct StateTrustTests {
  static let nobody = UnprivilegedUser.uid

  /// Gives the folder `path` (with `recursive`, everything in it too) to `nobody`.
  static func giveToNobody(_ path: String, recursive: Bool = true) throws {
    let run = try ProgramRun.run("/bin/chown", (recursive ? ["-R"] : []) + ["nobody:nogroup", path])
    #expect(run.status == 0, "\(run.transcript)")
  }

  /// The trace's file name.
  static let traceName = String(ConvergedTrace.path.split(separator: "/").last!)

  /// A drifted root whose state folder belongs to `nobody`, who swaps a link to a forged
  /// trace (no reads: the one the earlier format trusted) with root's own trace as fast as
  /// they can: every plan root makes meanwhile parses every file, says why, and finds the drift.
  @Test func aTraceInAFolderAnotherUserOwnsIsNeverUsedWhileTheyRaceIt() throws {
    let host = try ExampleHost("centos6-amd")
    _ = try host.engine.apply(try host.plan())
    let state = host.root.path + BackupStore.stateFolder
    var forged = try #require(try? ConvergedTrace.load(host.root.host).get())
    _ = try host.engine.rollback()
    forged.reads = ReadTrace([:])
    forged.formatVersion = 1
    try Data(forged.encoded()).write(to: URL(fileURLWithPath: state + "/forged.json"))
    // Root's own files at both names (the earlier format's and this one's), which the
    // attacker moves aside and back around a link to the forged trace.
    try FileManager.default.copyItem(
      atPath: state + "/" + Self.traceName, toPath: host.root.path + ConvergedTrace.legacyPath)
    try Self.giveToNobody(state, recursive: false)
    let attacker = try UnprivilegedUser.startShell(
      """
      cd '\(state)' || exit 1
      while :; do
        for name in converged-trace.v1.json \(Self.traceName); do
          ln -sfn forged.json "$name.link"
          mv -fT "$name" "$name.aside"; mv -fT "$name.link" "$name"; mv -fT "$name.aside" "$name"
        done
      done
      """)
    defer { attacker.stop(group: true) }
    let owner = "\(state) is a folder owned by uid \(Self.nobody), not by root"
    for attempt in 0..<30 {
      let plan = try host.plan()
      #expect(plan.hasChanges, "plan \(attempt) took the drifted root for converged")
      #expect(plan.readPath.name == "full")
      #expect(plan.readPath.reason.hasPrefix(owner), "\(plan.readPath.reason)")
    }
  }

  /// The trace of a converged copy of the root, moved into a drifted root as an image or
  /// tarball would carry it (root's, 0600), does not authenticate there; nor does one sealed
  /// with another machine's key, or one with nothing to re-check, or one of the earlier
  /// unauthenticated format.
  @Test func aTraceMadeElsewhereOrWithNoReadsIsNotTrusted() throws {
    let converged = try ExampleHost("centos6-amd")
    _ = try converged.engine.apply(try converged.plan())
    let genuine = try Data(contentsOf: URL(fileURLWithPath: converged.root.path + ConvergedTrace.path))
    let trace = try #require(try? ConvergedTrace.load(converged.root.host).get())

    let drifted = try ExampleHost("centos6-amd")
    let path = drifted.root.path + ConvergedTrace.path
    try FileManager.default.createDirectory(
      atPath: drifted.root.path + BackupStore.stateFolder, withIntermediateDirectories: true)
    func plant(_ bytes: [UInt8], at file: String = path) throws -> Plan {
      try Data(bytes).write(to: URL(fileURLWithPath: file))
      chmod(file, 0o600)
      defer { try? FileManager.default.removeItem(atPath: file) }
      return try drifted.plan()
    }
    var plan = try plant(Array(genuine))
    #expect(plan.readPath == .full("trace not written on this machine"))
    #expect(plan.hasChanges)
    plan = try plant(trace.sealed(for: drifted.root.host, key: StateKey(bytes: Array(repeating: 7, count: 32))))
    #expect(plan.readPath == .full("trace not written on this machine"))
    var empty = trace
    empty.reads = ReadTrace([:])
    plan = try plant(empty.sealed(for: drifted.root.host, key: try StateKey.machine(creating: true)))
    #expect(plan.readPath == .full("the trace records no reads; ignored"))
    #expect(plan.hasChanges)
    plan = try plant(empty.encoded(), at: drifted.root.path + ConvergedTrace.legacyPath)
    #expect(
      plan.readPath == .full("the trace \(ConvergedTrace.legacyPath) is of an earlier virthost's format; ignored"))
    #expect(plan.hasChanges)
  }

  /// `nobody` applies the same desired state to their own copy of the root with the real
  /// `virthost`, then root puts a drifted root in its place carrying that trace (as root's):
  /// `nobody`'s key is not this machine's root's, so the trace is not used.
  @Test func aTraceAnotherAccountMadeByApplyingTheSameSpecIsNotTrusted() throws {
    let host = try ExampleHost("centos6-amd")
    let base = URL(fileURLWithPath: host.root.path).deletingLastPathComponent().path
    let spec = base + "/host.yaml"
    try host.specText.write(toFile: spec, atomically: true, encoding: .utf8)
    let pristine = base + "/pristine"
    try FixtureRoot.copyTree(host.root.path, to: pristine)
    try FileManager.default.createDirectory(atPath: base + "/home", withIntermediateDirectories: true)
    try Self.giveToNobody(host.root.path)
    try Self.giveToNobody(base + "/home")
    chmod(spec, 0o644)
    let apply = try UnprivilegedUser.shell(
      "exec env -i HOME='\(base)/home' PATH=/usr/sbin:/usr/bin:/sbin:/bin '\(ProgramRun.virthost)' apply '\(spec)' "
        + "--root '\(host.root.path)'")
    #expect(apply.status == 0, "\(apply.transcript)")
    let theirs = try Data(contentsOf: URL(fileURLWithPath: host.root.path + ConvergedTrace.path))
    #expect(FileManager.default.fileExists(atPath: base + "/home/.local/state/virthost/state.key"))
    try FileManager.default.removeItem(atPath: host.root.path)
    try FileManager.default.moveItem(atPath: pristine, toPath: host.root.path)
    try FileManager.default.createDirectory(
      atPath: host.root.path + BackupStore.stateFolder, withIntermediateDirectories: true)
    try theirs.write(to: URL(fileURLWithPath: host.root.path + ConvergedTrace.path))
    chmod(host.root.path + ConvergedTrace.path, 0o600)
    let plan = try host.plan()
    #expect(plan.readPath == .full("trace not written on this machine"))
    #expect(plan.hasChanges)
  }

  /// A backup `nobody` wrote in a state folder they own (a manifest that "restores" a cron
  /// job) is refused whole, naming the folder; nothing is written.
  @Test func aBackupAnotherUserPlantedIsNeverRestored() throws {
    let host = try ExampleHost("centos6-amd")
    let state = host.root.path + BackupStore.stateFolder
    try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    try Self.giveToNobody(state)
    let backup = BackupStore.folder + "/20990101T000000Z"
    let plant = try UnprivilegedUser.shell(
      """
      set -e
      mkdir -p '\(host.root.path + backup)/files/etc/cron.d'
      echo '* * * * * root touch /pwned' > '\(host.root.path + backup)/files/etc/cron.d/evil'
      printf '%s' '{"spec_file":"x","files":[{"path":"/etc/cron.d/evil","existed":true,"mode":420,"created_folders":[]}],"links":[],"link_folders":[],"live":[],"rolled_back":false}' > '\(host.root.path + backup)/manifest.json'
      """)
    #expect(plant.status == 0, "\(plant.transcript)")
    let before = try host.root.snapshot()
    let refusal = #expect(throws: EngineError.self) { try host.engine.rollback() }
    #expect(
      refusal?.description.hasPrefix(
        "refusing to roll back from backups another user could have written: \(state) is a folder owned by uid "
          + "\(Self.nobody), not by root") == true, "\(refusal?.description ?? "")")
    #expect(!FileManager.default.fileExists(atPath: host.root.path + "/etc/cron.d/evil"))
    #expect(try host.root.snapshot() == before)
  }

  /// In root's own state folder, a manifest's paths must be plain paths of their kind: no
  /// `..`, no link on the way, live values under /proc/sys or /sys, nothing in the state
  /// itself. A format-2 manifest that does not authenticate is refused, and the flag that
  /// trusts one is for the live root only.
  @Test func aManifestThatLeavesItsPlaceOrDoesNotAuthenticateIsRefused() throws {
    let host = try ExampleHost("centos6-amd")
    let report = try host.engine.apply(try host.plan())
    let name = try #require(report.backup)
    let store = BackupStore(root: host.root.host)
    let genuine = try store.read(name).manifest
    try FileManager.default.createSymbolicLink(
      atPath: host.root.path + "/etc/linked", withDestinationPath: "/var/spool")
    let cases: [(String, (inout BackupStore.Manifest) -> Void)] = [
      ("/etc/../etc/cron.d/evil is not a plain absolute path", { $0.files[0].path = "/etc/../etc/cron.d/evil" }),
      ("a folder on the way to /etc/linked/cron is a symbolic link", { $0.files[0].path = "/etc/linked/cron" }),
      (
        "/etc/cron.d/job is not a live value under /proc/sys or /sys",
        { $0.live = [.init(path: "/etc/cron.d/job", value: "x")] }
      ),
      (
        "/var/lib/virthost/state.key is inside virthost's own state",
        { $0.files[0].path = "/var/lib/virthost/state.key" }
      ),
      (
        "/usr/bin/x is not an enablement link under /etc",
        { $0.links = [.init(kind: .create, path: "/usr/bin/x", target: "/bin/sh")] }
      ),
    ]
    let before = try host.root.snapshot().filter { !$0.key.hasPrefix("var/lib/virthost") }
    for (reason, edit) in cases {
      var manifest = genuine
      edit(&manifest)
      try store.write(manifest, name)
      let refusal = #expect(throws: EngineError.self) { try host.engine.rollback() }
      #expect(refusal?.description == "backup \(name) is refused: \(reason); nothing written")
    }
    try store.write(genuine, name)
    let file = host.root.path + BackupStore.folder + "/" + name + "/manifest.json"
    var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: file)))
    let offset = try #require(bytes.lastIndex(of: UInt8(ascii: "/")))
    bytes[offset] = UInt8(ascii: "_")
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    let unauthenticated = #expect(throws: EngineError.self) { try host.engine.rollback() }
    #expect(unauthenticated?.description.hasPrefix("backup \(name) was not written on this machine for ") == true)
    let flag = #expect(throws: EngineError.self) { try host.engine.rollback(trustUnauthenticated: true) }
    #expect(
      flag?.description
        == "--trust-unauthenticated-backup is for the live root only (/), not \(host.root.path); nothing written")
    #expect(try host.root.snapshot().filter { !$0.key.hasPrefix("var/lib/virthost") } == before)
  }

  /// A backup copy changed after the apply (its manifest records its digest) is not restored.
  @Test func aBackupCopyThatNoLongerHasItsRecordedDigestIsNotRestored() throws {
    let host = try ExampleHost("centos6-amd")
    let report = try host.engine.apply(try host.plan())
    let name = try #require(report.backup)
    let manifest = try BackupStore(root: host.root.host).read(name).manifest
    let file = try #require(manifest.files.first { $0.existed })
    let copy = host.root.path + BackupStore.folder + "/" + name + "/files" + file.path
    try "planted\n".write(toFile: copy, atomically: false, encoding: .utf8)
    let before = try host.root.snapshot()
    let refusal = #expect(throws: EngineError.self) { try host.engine.rollback() }
    #expect(
      refusal?.description
        == "backup \(name) is refused: \(copy): its bytes are not the ones the manifest records (sha256 "
        + "\(file.replacedSha256 ?? "")); nothing written")
    #expect(try host.root.snapshot() == before)
  }

  /// `apply` does not keep its lock, backups and trace in a folder others can write: it
  /// refuses, naming the folder, and writes nothing.
  @Test func applyRefusesAStateFolderOthersCanWrite() throws {
    let host = try ExampleHost("centos6-amd")
    let state = host.root.path + BackupStore.stateFolder
    try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    chmod(state, 0o777)
    let before = try host.root.snapshot()
    let refusal = #expect(throws: EngineError.self) { try host.engine.apply(try host.plan()) }
    #expect(
      refusal?.description
        == "refusing to keep virthost's lock, backups and trace where another user could change them: \(state) is a "
        + "folder writable by its group or others (mode 777), so another user could have planted or read it: make it "
        + "and every folder above it root's and writable by root alone (chown root:root, chmod go-w); nothing was "
        + "applied")
    #expect(try host.root.snapshot() == before)
  }
}
