import Augeas
import Foundation
import RootFS

/// The files of one boot-loader configuration, each read through ``HostRoot`` and parsed
/// from its text with its lens into one Augeas tree, at its path under `/files`.
///
/// Files are parsed from their text rather than loaded by Augeas from disk, so that
/// libaugeas never reads a host file itself, and rendering a changed tree reuses what
/// parsing compiled. Reading only: the editors change the tree and render it, and
/// nothing here writes a file.
///
/// It owns an ``AugeasTree``, so it is not `Sendable`: use it in one task.
public final class BootConfigTree {
  /// The root the files were read under.
  public let root: HostRoot
  /// The tree holding every file.
  public let augeas: AugeasTree
  /// The files parsed (real paths from the root), in the order given.
  public let files: [String]
  /// The lens each file is parsed and rendered with.
  private let lenses: [String: String]
  /// The text each file had when read.
  private let texts: [String: String]
  /// For error messages: the names under which each real file was found.
  private let aliases: [String: [String]]

  /// Reads each of `files` (real paths, with their lens) under `root` and parses it.
  ///
  /// - Throws: an error naming the file, line and column of a file that is not text, or
  ///   where its lens stops (with the line found, and a hint for CRLF line endings and
  ///   quoted arguments).
  init(root: HostRoot, files: [(path: String, lens: String)], aliases: [String: [String]] = [:]) throws(ConfigFileError)
  {
    self.root = root
    self.files = files.map(\.path)
    self.aliases = aliases
    var lenses: [String: String] = [:]
    var texts: [String: String] = [:]
    for file in files {
      lenses[file.path] = file.lens
      do {
        texts[file.path] = try root.text(file.path) ?? ""
      } catch {
        throw ConfigFileError(error, reading: file.path)
      }
    }
    self.lenses = lenses
    self.texts = texts
    do { augeas = try AugeasTree(root: root.path, transforms: []) } catch { throw ConfigFileError(error) }
    for file in files {
      do {
        try augeas.parseText(texts[file.path] ?? "", lens: file.lens, into: Self.path(of: file.path))
      } catch {
        throw loadError(Self.located(error, in: file.path))
      }
    }
  }

  /// The Augeas path of the file `file` (a real path from the root), escaped for path expressions.
  public static func path(of file: String) -> String {
    var escaped = ""
    for character in file {
      if character.isLetter || character.isNumber || "/._-+~:@,".contains(character) {
        escaped.append(character)
      } else {
        escaped += "\\" + String(character)
      }
    }
    return "/files" + escaped
  }

  /// The Augeas path of the file `file`.
  public func path(of file: String) -> String { Self.path(of: file) }

  /// The text `file` had when read (`""` for a file that is not one of ``files``).
  public func text(of file: String) -> String { texts[file] ?? "" }

  /// The other names under which `file` was found (symlinks), for error messages.
  public func otherNames(of file: String) -> [String] { aliases[file]?.filter { $0 != file } ?? [] }

  /// The text the tree of `file` renders to now, always through its lens, even when
  /// nothing changed; nothing is written.
  ///
  /// - Throws: when `file` is not one of ``files``, or the lens cannot render the tree.
  public func render(_ file: String) throws(ConfigFileError) -> String {
    guard let lens = lenses[file] else {
      throw ConfigFileError(file: file, message: "is not a file this editor manages")
    }
    do {
      return try augeas.renderText(lens: lens, from: path(of: file), original: text(of: file))
    } catch {
      throw ConfigFileError(Self.located(error, in: file))
    }
  }

  /// The 1-based numbers of the lines of `file` (as read) whose content satisfies `matches`.
  /// Lines are split on LF only: a CR stays in its line, as Augeas sees it.
  public func lineNumbers(in file: String, where matches: (String) -> Bool) -> [Int] {
    lines(of: file).enumerated().filter { matches($0.element) }.map { $0.offset + 1 }
  }

  /// Line `number` (1-based) of `file` as read, without its newline.
  public func line(_ number: Int, of file: String) -> String? {
    let all = lines(of: file)
    return number >= 1 && number <= all.count ? all[number - 1] : nil
  }

  private func lines(of file: String) -> [String] { text(of: file).components(separatedBy: "\n") }

  /// An error of parsing or rendering the text of `file`, placed in that file
  /// (Augeas names a text it was given `<text>`).
  static func located(_ error: AugeasError, in file: String) -> AugeasError {
    var located = error
    located.file?.file = file
    return located
  }

  /// An error of parsing a file, with the line that failed and what is on it.
  private func loadError(_ error: AugeasError) -> ConfigFileError {
    var result = ConfigFileError(error)
    guard let problem = error.file else { return result }
    let text = text(of: problem.file)
    if !result.placeAtCRLF(in: text), let number = problem.line, let found = line(number, of: problem.file) {
      let trimmed = found.trimmingCharacters(in: .whitespaces)
      if trimmed.contains("\"") || trimmed.contains("'") {
        result.message += ": a quoted argument (with spaces) is not supported"
      }
      result.message += "; found: \(trimmed)"
    }
    let names = otherNames(of: problem.file)
    if !names.isEmpty { result.message += " (the file is also reached as \(names.joined(separator: ", ")))" }
    return result
  }
}
