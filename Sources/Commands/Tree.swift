import ArgumentParser
import Augeas

/// `virthost tree`: shows how Augeas sees a file, with only the lens asked for.
struct Tree: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the Augeas tree of a file under the root, parsed with one lens.")

  @OptionGroup var options: RootOptions

  @Option(help: "The lens, for example Grub.lns or Shellvars.lns.")
  var lens: String

  @Argument(help: "The file, as a path from the root: /boot/grub/menu.lst.")
  var file: String

  func run() throws {
    let tree = try AugeasTree(root: try options.hostRoot().path, transforms: [Transform(lens: lens, includes: [file])])
    for path in try tree.match("/files\(file)//*") {
      let value = try tree.get(path)
      print(value.map { "\(path) = \($0)" } ?? path)
    }
  }
}
