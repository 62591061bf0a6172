import Editors
import Foundation
import RootFS

/// Why a file's live-host command failed.
struct HostCommandError: Error, Equatable, CustomStringConvertible {
  /// What went wrong, as one sentence.
  var description: String
}

extension Applier {
  /// Runs `command` (a file's ``HostCommand``) with no input: its program found under
  /// `root` in ``programFolders``, only ever on the live `/`.
  ///
  /// - Throws: ``HostCommandError`` when the program is missing, cannot start or exits
  ///   non-zero, with what it printed.
  static func run(_ command: HostCommand, in root: HostRoot) throws(HostCommandError) {
    let program = command.arguments[0]
    guard
      let found = programFolders.map({ $0 + "/" + program }).first(where: {
        root.status($0).map { $0.kind == .regular && $0.mode & 0o111 != 0 } ?? false
      }),
      let executable = root.hostPath(found)
    else {
      throw HostCommandError(description: "\(program) not found in \(programFolders.joined(separator: ", "))")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(command.arguments.dropFirst())
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      throw HostCommandError(description: "cannot run \(executable): \(error.localizedDescription)")
    }
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw HostCommandError(
        description: "\(command.shown) failed (exit \(process.terminationStatus)): \(printed)")
    }
  }
}
