import ArgumentParser
import Augeas

/// `virthost tree`: shows how Augeas sees a file, with only the lens asked for.
///
/// A missing file, a lens Augeas cannot find and a file the lens cannot parse are errors
/// (exit status 1), never an empty tree.
struct Tree: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the Augeas tree of a file under the root, parsed with one lens.")

  @OptionGroup var options: RootOptions

  @Option(help: "The lens, for example Grub.lns or Shellvars.lns.")
  var lens: String

  @Argument(help: "The file, as a path from the root: /boot/grub/menu.lst.")
  var file: String

  func run() throws {
    let root = try options.hostRoot()
    guard root.exists(file) else { throw CommandFailure("\(file): no such file under the root \(root.path)") }
    guard root.isFile(file) else { throw CommandFailure("\(file): not a regular file") }
    let tree = try AugeasTree(root: root.path, transforms: [Transform(lens: lens, includes: [file])])
    // Augeas records a lens it cannot find under /augeas/load, and loads nothing.
    for error in try tree.match("/augeas/load//error") {
      let message = (try tree.get(error)) ?? "the lens cannot be loaded"
      throw CommandFailure("no lens \(lens) (augeas: \(message))")
    }
    if let problem = tree.fileProblems().first {
      throw CommandFailure(problem.description)
    }
    for path in try tree.match("/files\(file)//*") {
      let value = try tree.get(path)
      print(value.map { "\(path) = \($0)" } ?? path)
    }
  }
}
