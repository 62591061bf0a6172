import ArgumentParser
import Engine
import Foundation

/// `virthost init`: writes a commented starter desired-state file.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "Write a commented starter host.yaml.")

  @Argument(help: "The file to write.")
  var file: String = "host.yaml"

  @Flag(help: "Overwrite an existing file.")
  var force = false

  func run() throws {
    if FileManager.default.fileExists(atPath: file) && !force {
      throw CommandFailure("\(file) exists already; pass --force to overwrite it")
    }
    let text = try StarterSpec.text()
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    } catch {
      throw CommandFailure("cannot write \(file): \(error.localizedDescription)")
    }
    print("Wrote \(file). Edit it, then run `virthost plan \(file)`.")
  }
}
