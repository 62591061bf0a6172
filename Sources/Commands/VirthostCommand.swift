import ArgumentParser
import Engine

/// The `virthost` root command: lists the subcommands.
public struct VirthostCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "virthost",
    abstract: "Turns a Linux machine into a well-tuned KVM host, declaratively.",
    version: Engine.version,
    subcommands: [
      PlanCommand.self, ApplyCommand.self, CheckCommand.self, RollbackCommand.self, InitCommand.self, Facts.self,
      Tree.self, PackageFiles.self,
    ]
  )

  public init() {}
}
