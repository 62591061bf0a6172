import Editors
import Foundation
import RootFS
import TestSupport
import Testing

@testable import Engine

/// The apply step that runs a plan's ``Regeneration``: a fake `grub2-mkconfig` under a
/// temporary root stands for the live host's (the live /boot is never touched).
@Suite struct RegenerationStepTests {
  let outputs = ["/boot/grub2/grub.cfg", "/boot/efi/EFI/centos/grub.cfg"]

  /// A copy of the RHEL 7 fixture with `/usr/sbin/grub2-mkconfig` running `body`, which
  /// is called as `grub2-mkconfig -o FILE` (`$2`).
  func root(mkconfig body: String) throws -> FixtureRoot {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/grub2-rhel7/root")
    try FileManager.default.createDirectory(atPath: root.path + "/usr/sbin", withIntermediateDirectories: true)
    try root.writeProgram("/usr/sbin/grub2-mkconfig", "#!/bin/sh\n\(body)\n")
    return root
  }

  func run(_ root: FixtureRoot) throws {
    try Applier.regenerate(Regeneration(program: "grub2-mkconfig", outputs: outputs), in: HostRoot(root.path))
  }

  @Test func theGeneratedFileGoesIntoEveryOutputWhatIsPrintedNowhereModeKept() throws {
    // Debian's grub.d/xen.cfg prints while grub-mkconfig sources it: that line is no grub.cfg's.
    let root = try root(
      mkconfig: "echo 'Including Xen overrides from /etc/default/grub.d/xen.cfg'\n"
        + "echo 'Generating grub configuration file ...' >&2\n"
        + "[ \"$1\" = -o ] && echo 'menuentry new' > \"$2\"")
    for output in outputs {
      try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root.path + output)
    }
    try run(root)
    for output in outputs {
      #expect(try root.text(output) == "menuentry new\n")
      let mode = try FileManager.default.attributesOfItem(atPath: root.path + output)[.posixPermissions] as? Int
      #expect(mode == 0o600)
      let folder = (root.path + output as NSString).deletingLastPathComponent
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
      #expect(leftovers.isEmpty, "no temporary file left in \(folder)")
    }
  }

  @Test func aFailingRunReplacesNothingAndReportsStderr() throws {
    let root = try root(mkconfig: "echo 'partial' > \"$2\"\necho 'syntax error in /etc/grub.d/40_custom' >&2\nexit 1")
    let before = try root.snapshot()
    let error = #expect(throws: RegenerationError.self) { try run(root) }
    #expect(error?.description.contains("grub2-mkconfig failed (exit 1); no grub.cfg replaced") == true)
    #expect(error?.description.contains("syntax error in /etc/grub.d/40_custom") == true)
    #expect(try root.snapshot() == before)
  }

  @Test func aSilentRunReplacesNothing() throws {
    let root = try root(mkconfig: "echo 'only printed'")
    let before = try root.snapshot()
    let error = #expect(throws: RegenerationError.self) { try run(root) }
    #expect(error?.description == "grub2-mkconfig generated nothing; no grub.cfg replaced: only printed")
    #expect(try root.snapshot() == before)
  }

  @Test func aMissingProgramIsNamed() throws {
    let root = try FixtureRoot("Tests/BootLoaderTests/Fixtures/grub2-rhel7/root")
    let error = #expect(throws: RegenerationError.self) { try run(root) }
    #expect(
      error?.description == "grub2-mkconfig not found in /usr/sbin, /usr/bin, /sbin or /bin: is GRUB 2 installed?")
  }

  @Test func aGrub2MkconfigThatListsUpdateBLSCmdlineGetsIt() throws {
    // RHEL 9.3 and later: `--update-bls-cmdline` also rewrites the BLS entries' options.
    let root = try root(
      mkconfig: "[ \"$1\" = --help ] && { echo '  --update-bls-cmdline    overwrite BLS cmdline args'; exit 0; }\n"
        + "echo \"args: $1 $2\" > \"$3\"")
    try run(root)
    #expect(try root.text(outputs[0]) == "args: --update-bls-cmdline -o\n")
  }

  @Test func aGrub2MkconfigWithoutUpdateBLSCmdlineIsRunWithOutputOnly() throws {
    let root = try root(
      mkconfig: "[ \"$1\" = --help ] && { echo 'Usage: grub2-mkconfig [OPTION]'; exit 0; }\n"
        + "echo \"args: $1\" > \"$2\"")
    try run(root)
    #expect(try root.text(outputs[0]) == "args: -o\n")
  }

  @Test func muchOutputOnBothStreamsDoesNotBlock() throws {
    // More than a pipe holds (64 KiB) on stderr before stdout is closed.
    let root = try root(
      mkconfig: "head -c 300000 /dev/zero | tr '\\\\0' e >&2\nhead -c 300000 /dev/zero | tr '\\\\0' p\n"
        + "head -c 300000 /dev/zero | tr '\\\\0' o > \"$2\"")
    try run(root)
    #expect(try root.bytes(outputs[0]).count == 300_000)
  }
}
