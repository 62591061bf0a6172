import Foundation
import RootFS

/// A program the applier runs on the live host (a boot loader's generator, `grub2-editenv`,
/// `proxmox-boot-tool`): found under the root, run to completion with no input. The one
/// place the applier starts a program of the host.
enum HostProgram {
  /// The folders, from the root, searched for a program.
  static let folders = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]

  /// The host path of `program`: the first regular, executable file of that name in
  /// ``folders`` under `root`; `nil` when there is none.
  static func find(_ program: String, in root: HostRoot) -> String? {
    let found = folders.map { $0 + "/" + program }.first {
      root.status($0).map { $0.kind == .regular && $0.mode & 0o111 != 0 } ?? false
    }
    return found.flatMap { root.hostPath($0) }
  }

  /// What a finished program did: its exit status and what it printed on both streams.
  struct Outcome {
    /// The exit status.
    var status: Int32
    /// Standard output then standard error, trimmed.
    var printed: String
  }

  /// Runs `executable` with `arguments` and no input, both output streams drained together
  /// (so neither pipe fills and blocks the program).
  /// - Throws: ``HostProgramError`` when it cannot start.
  static func run(_ executable: String, _ arguments: [String]) throws(HostProgramError) -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      throw HostProgramError(description: "cannot run \(executable): \(error.localizedDescription)")
    }
    let diagnostics = DrainedPipe(errors.fileHandleForReading)
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    let message = String(decoding: printed + diagnostics.wait(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    process.waitUntilExit()
    return Outcome(status: process.terminationStatus, printed: message)
  }
}

/// Why a program of the host could not be started.
struct HostProgramError: Error, Equatable, CustomStringConvertible {
  /// What went wrong, as one sentence.
  var description: String
}

/// A pipe read to its end on another thread.
private final class DrainedPipe: @unchecked Sendable {
  // @unchecked: `data` is written once by the reading thread before `done` is signalled,
  // and read only after `wait()` has seen that signal.
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    DispatchQueue.global().async {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }
  }

  /// Everything read, once the writer closed the pipe.
  func wait() -> Data {
    done.wait()
    return data
  }
}
