import ArgumentParser
import Foundation

/// The `virthost` executable's entry: an Ansible module run when Ansible
/// invoked it as one, the command line otherwise.
public enum VirthostMain {
  /// Runs virthost with the process's arguments and exits.
  public static func main() -> Never {
    let arguments = CommandLine.arguments
    if AnsibleModule.isInvocation(arguments) {
      let (json, status) = AnsibleModule.run(argumentsFile: arguments[1])
      print(json)
      exit(status)
    }
    var command: any ParsableCommand
    do {
      command = try VirthostCommand.parseAsRoot()
    } catch {
      exit(ErrorOutput.report(error, usage: true))
    }
    do {
      try command.run()
    } catch {
      exit(ErrorOutput.report(error, usage: false))
    }
    exit(0)
  }
}

/// The one place a command's failure becomes words and an exit status: every error a
/// command throws, and every usage error, is printed as `error: …` on standard error,
/// as diagnostics of the desired state are (`host.yaml:1:8: error: …`).
enum ErrorOutput {
  /// Prints what `error` says (help and version to standard output) and returns the
  /// exit status: ArgumentParser's for its own errors (64 for usage), 1 for a
  /// ``CommandFailure``, the code of an `ExitCode`. With `usage`, for an error of the
  /// command line, the command's usage follows the message.
  static func report(_ error: any Error, usage: Bool) -> Int32 {
    let status = VirthostCommand.exitCode(for: error)
    let brief = VirthostCommand.message(for: error)
    if status.isSuccess {
      // Help and the version: printed as they are, never as an error (ArgumentParser's
      // full message starts even these with `Error: `).
      if !brief.isEmpty { print(brief) }
      return status.rawValue
    }
    let message = usage ? spelled(VirthostCommand.fullMessage(for: error)) : brief.isEmpty ? "" : "error: " + brief
    if !message.isEmpty {
      EngineSetup.printError(message)
    }
    return status.rawValue
  }

  /// `message` with ArgumentParser's `Error: ` prefix written `error: `.
  static func spelled(_ message: String) -> String {
    message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : message
  }
}
