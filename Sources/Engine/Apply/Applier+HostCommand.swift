import Editors
import Foundation
import RootFS
import Spawn

/// Why a file's live-host command failed.
struct HostCommandError: Error, Equatable, CustomStringConvertible {
  /// What went wrong, as one sentence.
  var description: String
}

extension Applier {
  /// Runs `command` (a file's ``HostCommand``) with no input: its program found under
  /// `root` in ``HostProgram/folders``, only ever on the live `/`.
  ///
  /// - Throws: ``HostCommandError`` when the program is missing, cannot start or exits
  ///   non-zero, with what it printed.
  static func run(_ command: HostCommand, in root: HostRoot) throws(HostCommandError) {
    let program = command.arguments[0]
    guard let executable = HostProgram.find(program, in: root) else {
      throw HostCommandError(description: "\(program) not found in \(HostProgram.folders.joined(separator: ", "))")
    }
    let outcome: ProgramOutcome
    do {
      outcome = try HostProgram.run(
        executable, Array(command.arguments.dropFirst()), step: command.shown, name: program)
    } catch {
      throw HostCommandError(description: error.description)
    }
    guard outcome.status == 0 else {
      throw HostCommandError(description: "\(command.shown) failed (exit \(outcome.status)): \(outcome.printed)")
    }
  }
}
