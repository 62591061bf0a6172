import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// Issue 35: `/etc/libvirt/qemu.conf` edited through libvirt's own lens from the root, on the
/// file and lens Debian 12 ships (`debian12-packages`, libvirt 9.0.0).
@Suite struct QemuConfEditorTests {
  static let packages = "Tests/EditorsTests/Fixtures/debian12-packages/"
  static let shippedConf = packages + "libvirt-daemon-system/etc/libvirt/qemu.conf"
  static let shippedLens = packages + "libvirt-daemon-driver-qemu/usr/share/augeas/lenses/libvirtd_qemu.aug"

  /// The text of a package fixture.
  static func fixture(_ relative: String) throws -> String {
    try String(contentsOf: FixtureRoot.repository.appendingPathComponent(relative), encoding: .utf8)
  }

  /// A root with Debian 12's qemu.conf (or `conf`) and, unless `lens` is false, its lens.
  static func libvirtRoot(conf: String? = nil, lens: Bool = true) throws -> FixtureRoot {
    let root = try FixtureRoot()
    try root.write(QemuConf.path, try conf ?? fixture(shippedConf))
    if lens { try root.write(QemuConf.lensFile, try fixture(shippedLens)) }
    return root
  }

  @Test func theLensDeclaresTheSettingsAndTheirTypes() throws {
    let settings = QemuConfSettings(lens: try Self.fixture(Self.shippedLens))
    #expect(settings.types.count == 93)
    #expect(settings.types["max_files"] == .integer)
    #expect(settings.types["user"] == .string)
    #expect(settings.types["vnc_tls"] == .boolean)
    #expect(settings.types["cgroup_device_acl"] == .stringList)
    #expect(settings.types["max_core"] == .limit)
    #expect(settings.types["hugetlbfs_mount"] == .string)
    #expect(settings.types["str_entry"] == nil && settings.types["kw"] == nil)
  }

  /// Every setting of the shipped file is a commented default: each stays, its setting follows
  /// it (`user` after `#user = "libvirt-qemu"`, not after the indented examples above it; a list
  /// after its `#]`, in the lens's form for a new list).
  @Test func aCommentedDefaultStaysAndTheSettingFollowsIt() throws {
    let root = try Self.libvirtRoot()
    let shipped = try Self.fixture(Self.shippedConf)
    let editor = try QemuConfEditor(root: try root.root)
    try editor.set([
      ("max_files", .scalar("32768")), ("user", .scalar("root")), ("vnc_tls", .scalar("true")),
      ("max_core", .scalar("unlimited")), ("cgroup_device_acl", .list(["/dev/null", "/dev/kvm"])),
    ])
    let expected =
      shipped
      .replacingOccurrences(of: "#max_files = 0\n", with: "#max_files = 0\nmax_files = 32768\n")
      .replacingOccurrences(of: "#user = \"libvirt-qemu\"\n", with: "#user = \"libvirt-qemu\"\nuser = \"root\"\n")
      .replacingOccurrences(of: "#vnc_tls = 1\n", with: "#vnc_tls = 1\nvnc_tls = 1\n")
      .replacingOccurrences(
        of: "#max_core = \"unlimited\"\n", with: "#max_core = \"unlimited\"\nmax_core = \"unlimited\"\n"
      )
      .replacingOccurrences(
        of: "#    \"/dev/ptmx\", \"/dev/kvm\"\n#]\n",
        with: "#    \"/dev/ptmx\", \"/dev/kvm\"\n#]\ncgroup_device_acl = [ \"/dev/null\", \"/dev/kvm\"]\n")
    #expect(expected != shipped)
    #expect(try editor.pendingChanges() == [FileChange(path: QemuConf.path, before: shipped, after: expected)])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text(QemuConf.path) == expected)

    let reread = try QemuConf(root: try root.root)
    #expect(try reread.value("max_files") == .scalar("32768"))
    #expect(try reread.value("user") == .scalar("root"))
    #expect(try reread.value("vnc_tls") == .scalar("1"))
    #expect(try reread.value("max_core") == .scalar("unlimited"))
    #expect(try reread.value("cgroup_device_acl") == .list(["/dev/null", "/dev/kvm"]))
    #expect(try reread.value("max_processes") == nil)
  }

  @Test func aSecondEditAfterApplyingChangesNothing() throws {
    let root = try Self.libvirtRoot()
    let first = try QemuConfEditor(root: try root.root)
    let values: [(key: String, value: QemuConfValue)] = [
      ("max_files", .scalar("32768")), ("namespaces", .list(["mount"])),
    ]
    try first.set(values)
    try root.apply(try first.pendingChanges())
    let second = try QemuConfEditor(root: try root.root)
    try second.set(values)
    #expect(try second.pendingChanges() == [])
    #expect(second.changedFiles() == [])
  }

  @Test func anAssignedSettingChangesWhereItStands() throws {
    let shipped = try Self.fixture(Self.shippedConf)
    let before = shipped.replacingOccurrences(of: "#max_files = 0\n", with: "#max_files = 0\nmax_files   =  1024\n")
    let root = try Self.libvirtRoot(conf: before)
    let editor = try QemuConfEditor(root: try root.root)
    try editor.set([("max_files", .scalar("8192"))])
    let expected = shipped.replacingOccurrences(of: "#max_files = 0\n", with: "#max_files = 0\nmax_files   =  8192\n")
    #expect(try editor.pendingChanges() == [FileChange(path: QemuConf.path, before: before, after: expected)])
  }

  @Test func aListFormHugetlbfsMountIsRefusedAtItsLine() throws {
    let shipped = try Self.fixture(Self.shippedConf)
    let line = "hugetlbfs_mount = [\"/dev/hugepages2M\", \"/dev/hugepages1G\"]"
    let text = shipped.replacingOccurrences(
      of: "#hugetlbfs_mount = \"/dev/hugepages\"\n", with: "#hugetlbfs_mount = \"/dev/hugepages\"\n\(line)\n")
    let number =
      try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == line }) + 1
    let root = try Self.libvirtRoot(conf: text)
    let snapshot = try root.snapshot()
    let error = editorError { () throws(EditorError) in _ = try QemuConfEditor(root: try! root.root) }
    #expect(error?.file == QemuConf.path && error?.line == number && error?.column == 1)
    #expect(error?.message.hasPrefix("hugetlbfs_mount is a list") == true)
    #expect(error?.message.contains("libvirtd_qemu.aug cannot parse") == true)
    #expect(try root.snapshot() == snapshot)
  }

  @Test func aRootWithoutTheLensNamesItAndItsPackage() throws {
    let root = try Self.libvirtRoot(lens: false)
    let error = editorError { () throws(EditorError) in _ = try QemuConfEditor(root: try! root.root) }
    #expect(error?.file == "/usr/share/augeas/lenses/libvirtd_qemu.aug")
    #expect(
      error?.message
        == "does not exist: libvirt's lens of /etc/libvirt/qemu.conf is missing; install libvirt-daemon-driver-qemu, which ships it"
    )
  }

  @Test func aRootWithoutQemuConfNamesThePackage() throws {
    let root = try FixtureRoot()
    let error = editorError { () throws(EditorError) in _ = try QemuConfEditor(root: try! root.root) }
    #expect(error?.file == QemuConf.path)
    #expect(error?.message.contains("libvirt-daemon-system") == true)
  }

  @Test func aKeyTheLensDoesNotDeclareOrAValueOfAnotherTypeIsRefused() throws {
    let root = try Self.libvirtRoot()
    let editor = try QemuConfEditor(root: try root.root)
    let unknown = editorError { () throws(EditorError) in try editor.set([("max_file", .scalar("1"))]) }
    #expect(unknown?.message.hasPrefix("has no setting \"max_file\"") == true)
    let typed = editorError { () throws(EditorError) in try editor.set([("max_files", .scalar("many"))]) }
    #expect(typed?.message == "max_files must be a number, not \"many\"")
    let quoted = editorError { () throws(EditorError) in try editor.set([("user", .scalar("a\"b"))]) }
    #expect(quoted?.message.hasPrefix("user cannot hold a double quote") == true)
    #expect(try editor.pendingChanges() == [])
  }

  /// The lens is the root's: one that does not declare `max_files` parses a file assigning it
  /// as libvirt's parser of that version would not, at that line.
  @Test func theLensComesFromTheRoot() throws {
    let lens = try Self.fixture(Self.shippedLens).replacingOccurrences(of: "| int_entry \"max_files\"", with: "")
    let shipped = try Self.fixture(Self.shippedConf)
    let root = try Self.libvirtRoot()
    try root.write(QemuConf.lensFile, lens)
    let editor = try QemuConfEditor(root: try root.root)
    #expect(editor.settings.types["max_files"] == nil && editor.settings.types["max_processes"] == .integer)
    try root.write(
      QemuConf.path, shipped.replacingOccurrences(of: "#max_files = 0\n", with: "#max_files = 0\nmax_files = 10\n"))
    let error = editorError { () throws(EditorError) in _ = try QemuConfEditor(root: try! root.root) }
    let line =
      try #require(
        shipped.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "#max_files = 0" }) + 2
    #expect(error?.file == QemuConf.path && error?.line == line)
    #expect(error?.message.hasPrefix("cannot be parsed") == true)
  }
}
