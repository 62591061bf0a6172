import Foundation
import TestSupport
import Testing

/// `lstat` of `path`: its type, mode bits and owner; `nil` when there is nothing.
private func entry(_ path: String) -> (type: mode_t, mode: mode_t, owner: uid_t)? {
  var info = stat()
  guard lstat(path, &info) == 0 else { return nil }
  return (info.st_mode & S_IFMT, info.st_mode & 0o7777, info.st_uid)
}

/// `virthost plan --out FILE`: the saved plan quotes hunks of files only
/// root may read, and `apply` carries it out, so it is written for its owner alone, never
/// through a link, and never into a folder someone else can write. Run as root; the other
/// user is `nobody`, a real process.
@Suite(.enabled(if: UnprivilegedUser.isAvailable, "needs root and setpriv"))
struct PlanOutFileTests {
  static let spec = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path

  /// The seed host, its `grub.conf` 0600 as CentOS 6 ships it, and an empty folder `plans`
  /// (root's, 0755) beside the root.
  static func seed() throws -> (root: FixtureRoot, plans: String) {
    let root = try FixtureRoot("examples/centos6-amd/root")
    #expect(chmod(root.path + "/boot/grub/grub.conf", 0o600) == 0)
    let plans = URL(fileURLWithPath: root.path).deletingLastPathComponent().path + "/plans"
    try FileManager.default.createDirectory(atPath: plans, withIntermediateDirectories: false)
    #expect(chmod(plans, 0o755) == 0)
    return (root, plans)
  }

  /// Runs `virthost ARGUMENTS` under `umask`.
  static func virthost(umask: String, _ arguments: [String]) throws -> ProgramRun {
    try ProgramRun.run("/bin/sh", ["-c", "umask \(umask); exec \"$0\" \"$@\"", ProgramRun.virthost] + arguments)
  }

  /// Under a umask of 000 the plan file is still 0600 and root's: `nobody` cannot read the
  /// grub.conf hunks it quotes.
  @Test func theSavedPlanIsReadableByItsOwnerAloneWhateverTheUmask() throws {
    let (root, plans) = try Self.seed()
    let file = plans + "/plan.json"
    let run = try Self.virthost(umask: "000", ["plan", Self.spec, "--root", root.path, "--out", file])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(run.output.hasSuffix("Saved the plan to \(file); apply it with `virthost apply \(file)`.\n"))
    let saved = try #require(entry(file))
    #expect([saved.type, saved.mode, mode_t(saved.owner)] == [S_IFREG, 0o600, 0])
    #expect(contents(file).contains("/boot/grub/grub.conf"))
    let read = try UnprivilegedUser.shell("cat \"$1\"", [file])
    #expect(read.status == 1)
    #expect(read.error == "cat: \(file): Permission denied\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: plans) == ["plan.json"], "no temporary left")
  }

  /// A link at the file's name (root's own folder: only root could have put it there) is
  /// replaced by the plan, not written through: the file it names stays as it was.
  @Test func aLinkAtTheNameIsReplacedNotFollowed() throws {
    let (root, plans) = try Self.seed()
    let victim = root.path + "/etc/shadow"
    try root.write("/etc/shadow", "root:!:19000:0:99999:7:::\n")
    #expect(chmod(victim, 0o600) == 0)
    let file = plans + "/plan.json"
    #expect(symlink(victim, file) == 0)
    let run = try ProgramRun.virthost(["plan", Self.spec, "--root", root.path, "--out", file])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(try root.text("/etc/shadow") == "root:!:19000:0:99999:7:::\n")
    #expect(entry(file).map { [$0.type, $0.mode] } == [S_IFREG, 0o600])
    #expect(contents(file).hasPrefix("{"))
  }

  /// Into a folder that another user owns, or that its group or every user can write (the
  /// sticky /tmp too), `--out` is refused before anything is planned: exit 1, nothing on
  /// standard output, one error naming the folder and its mode; nothing is written, not
  /// even through the link `nobody` planted at the name.
  @Test(
    arguments: [
      (UInt32(65534), UInt32(65534), mode_t(0o755), "it belongs to nobody (mode 0755)"),
      (0, 65534, 0o775, "its group or others can write it (mode 0775)"),
      (0, 0, 0o757, "its group or others can write it (mode 0757)"),
      (0, 0, 0o1777, "its group or others can write it (mode 1777)"),
    ] as [(uid_t, gid_t, mode_t, String)])
  func outIntoAFolderOthersCanWriteIsRefusedNamingIt(owner: uid_t, group: gid_t, mode: mode_t, reason: String)
    throws
  {
    let (root, plans) = try Self.seed()
    #expect(chown(plans, owner, group) == 0 && chmod(plans, mode) == 0)
    let victim = root.path + "/etc/cron.d/virthost"
    try root.write("/etc/cron.d/virthost", "# root's\n")
    let file = plans + "/plan.json"
    let planted = try UnprivilegedUser.shell("ln -s \"$1\" \"$2\"", [victim, file])
    #expect(planted.status == 0, "nobody can write the folder: \(planted.transcript)")
    let run = try ProgramRun.virthost(["plan", Self.spec, "--root", root.path, "--out", file])
    #expect(run.status == 1)
    #expect(run.output == "")
    #expect(
      run.error
        == "error: refusing to save the plan in \(plans): \(reason); another user could read the plan or replace it"
        + " before `virthost apply` carries it out. Save it in a folder only you and root can write.\n")
    #expect(try root.text("/etc/cron.d/virthost") == "# root's\n")
    #expect(entry(file)?.type == S_IFLNK, "only nobody's link is there")
    #expect(try FileManager.default.contentsOfDirectory(atPath: plans) == ["plan.json"])
  }

  /// A user's own folder is theirs to save plans in: `nobody` plans the seed host (a copy it
  /// can read) into its folder, 0755.
  @Test func aUsersOwnFolderIsTrusted() throws {
    let (root, plans) = try Self.seed()
    #expect(chmod(root.path + "/boot/grub/grub.conf", 0o644) == 0)
    try UnprivilegedUser.give(plans, mode: 0o755)
    let file = plans + "/plan.json"
    let run = try UnprivilegedUser.shell(
      "exec \"$1\" plan \"$2\" --root \"$3\" --out \"$4\"", [ProgramRun.virthost, Self.spec, root.path, file])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(entry(file).map { [$0.type, $0.mode, mode_t($0.owner)] } == [S_IFREG, 0o600, 65534])
  }
}
