import Foundation
import PackagePlugin

/// Embeds every file under the package's `Templates/` folder into the target
/// as Swift string literals, so that the installed binaries carry their
/// templates and need no resource bundle beside them.
@main
struct EmbedTemplates: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let templates = context.package.directoryURL.appending(path: "Templates")
    let files = try FileManager.default.contentsOfDirectory(
      at: templates, includingPropertiesForKeys: nil
    )
    .filter { !$0.lastPathComponent.hasPrefix(".") }
    .sorted { $0.lastPathComponent < $1.lastPathComponent }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTemplates.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(files.count) templates",
        executable: try context.tool(named: "embed-templates").url,
        arguments: [output.path] + files.map(\.path),
        inputFiles: files,
        outputFiles: [output])
    ]
  }
}
