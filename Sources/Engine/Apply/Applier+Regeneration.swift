import Editors
import Foundation
import RootFS
import Spawn

/// Why the boot-loader regeneration failed; no grub.cfg was replaced.
struct RegenerationError: Error, Equatable, CustomStringConvertible {
  /// What went wrong, as one sentence.
  var description: String
}

extension Applier {
  /// Runs `regeneration`'s program once. A program that writes its outputs itself
  /// (``Regeneration/Invocation/writesOutputs(arguments:)``, `proxmox-boot-tool refresh`)
  /// is run with its arguments and nothing else is written. Otherwise it runs
  /// as `program -o FILE` with no input and `FILE` in a
  /// private temporary folder, and writes what it generated to each of its outputs through
  /// ``HostRootWriter`` (mode and owner of an existing grub.cfg kept, `0600` for a new one).
  /// What it prints goes only into the error: `grub-mkconfig` prints what the files it
  /// sources print (Debian's `grub.d/xen.cfg` says "Including Xen overrides…"), which must
  /// never land in a grub.cfg. With `-o`, `grub-mkconfig` also checks the generated
  /// script's syntax (`grub-script-check`) before it gives the file.
  ///
  /// The program is the one under `root` (in ``HostProgram/folders``): only the live `/`
  /// runs it, as the apply step is skipped for any other root.
  ///
  /// - Throws: ``RegenerationError`` when the program is missing, cannot start, fails or
  ///   prints nothing (no output replaced then); ``HostRootError`` when an output cannot
  ///   be replaced.
  static func regenerate(_ regeneration: Regeneration, in root: HostRoot) throws {
    let program = regeneration.program
    guard let executable = HostProgram.find(program, in: root) else {
      throw RegenerationError(
        description: "\(program) not found in /usr/sbin, /usr/bin, /sbin or /bin: is \(package(of: program)) installed?"
      )
    }
    if let arguments = regeneration.ownArguments {
      try runWritingOutputs(executable, named: program, arguments: arguments)
      return
    }
    let generated = try run(executable, named: program, options: options(of: executable))
    let writer = HostRootWriter(root)
    for output in regeneration.outputs {
      try writer.replace(output, with: generated, mode: 0o600)
    }
  }

  /// What provides `program`, for the error when it is missing.
  private static func package(of program: String) -> String {
    program == "proxmox-boot-tool" ? "proxmox-kernel-helper" : "GRUB 2"
  }

  /// Runs `executable ARGUMENTS`, a program that writes the grub.cfg files itself
  /// (`proxmox-boot-tool refresh`), with no input.
  /// - Throws: ``RegenerationError`` when it cannot start or fails, with what it printed.
  private static func runWritingOutputs(_ executable: String, named program: String, arguments: [String])
    throws(RegenerationError)
  {
    let shown = ([program] + arguments).joined(separator: " ")
    let outcome: ProgramOutcome
    do { outcome = try HostProgram.run(executable, arguments, step: shown, name: program) } catch {
      throw RegenerationError(description: error.description)
    }
    guard outcome.status == 0 else {
      throw RegenerationError(description: "\(shown) failed (exit \(outcome.status)): \(outcome.printed)")
    }
  }

  /// The option that also rewrites the BLS entries' `options` from `GRUB_CMDLINE_LINUX`
  /// (RHEL 9.3 and later): without it, their `grub2-mkconfig` leaves the entries alone.
  static let updateBLSCommandLine = "--update-bls-cmdline"

  /// The options `executable` gets before `-o FILE`: ``updateBLSCommandLine`` when its
  /// `--help` lists it, none otherwise (or when `--help` cannot be run).
  static func options(of executable: String) -> [String] {
    let help =
      (try? HostProgram.run(executable, ["--help"], step: "list its options", timeout: .seconds(60)))?.printed ?? ""
    let listed = help.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "," || $0 == "=" })
      .contains { $0 == updateBLSCommandLine }
    return listed ? [updateBLSCommandLine] : []
  }

  /// What `executable OPTIONS -o FILE` generated in `FILE`, run with no input; what it
  /// printed on either stream goes into the error only.
  private static func run(_ executable: String, named program: String, options: [String]) throws(RegenerationError)
    -> [UInt8]
  {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-mkconfig-\(UUID())")
    do {
      try FileManager.default.createDirectory(
        at: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    } catch {
      throw RegenerationError(
        description: "cannot make a folder for \(program)'s output: \(error.localizedDescription)")
    }
    defer { try? FileManager.default.removeItem(at: scratch) }
    let file = scratch.appendingPathComponent("grub.cfg").path
    let outcome: ProgramOutcome
    do { outcome = try HostProgram.run(executable, options + ["-o", file], step: "regenerate grub.cfg") } catch {
      throw RegenerationError(description: error.description)
    }
    let message = outcome.printed
    guard outcome.status == 0 else {
      throw RegenerationError(
        description: "\(program) failed (exit \(outcome.status)); no grub.cfg replaced: \(message)")
    }
    guard let generated = FileManager.default.contents(atPath: file), !generated.isEmpty else {
      throw RegenerationError(description: "\(program) generated nothing; no grub.cfg replaced: \(message)")
    }
    return [UInt8](generated)
  }
}
