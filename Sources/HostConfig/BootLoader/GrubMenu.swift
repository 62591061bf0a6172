import Foundation

/// The menu of a grub.cfg that `grub-mkconfig` generated: its entries and submenus (title,
/// id, kernel image), and the default its header sets.
///
/// No Augeas lens reads grub.cfg (see ``Grub2GeneratedConfig``): it is a script. Only what
/// the templates write is read, line by line with shell quoting: `menuentry TITLE … {` and
/// `submenu TITLE … {` open an item (its id follows `$menuentry_id_option` or `--id`), a
/// `{` at the end of any other line (`function load_video {`) opens a block that is no
/// item, a line `}` closes the innermost block; in an entry, the first `linux`,
/// `linux16` or `linuxefi` line names its kernel image. The header (`00_header`) sets the
/// default twice: `set default="${next_entry}"` when grubenv holds a one-time choice, and
/// GRUB_DEFAULT's value otherwise (`${saved_entry}` for `GRUB_DEFAULT=saved`).
public struct GrubMenu: Sendable, Equatable {
  /// One menu item.
  public struct Item: Sendable, Equatable {
    /// The title, unquoted.
    public var title: String
    /// The id (`gnulinux-6.1.0-28-amd64-advanced-…`), when the line gives one.
    public var id: String?
    /// The 1-based line of its `menuentry` or `submenu`.
    public var line: Int
    /// The kernel image of an entry's first Linux line (`/boot/vmlinuz-6.1.0-28-amd64`).
    public var image: String?
    /// A submenu's items; `nil` for an entry.
    public var children: [Item]?
  }

  /// The top-level items, in menu order.
  public var items: [Item]
  /// The default the header sets when no one-time choice is pending (GRUB_DEFAULT's value
  /// at generation, quotes removed), at its line; `nil` when the file sets none (GRUB then starts item 0).
  public var configuredDefault: (value: String, line: Int)?
  /// Whether the header takes grubenv's `next_entry` first (`set default="${next_entry}"`).
  public var honoursNextEntry: Bool

  public static func == (lhs: GrubMenu, rhs: GrubMenu) -> Bool {
    lhs.items == rhs.items && lhs.configuredDefault?.value == rhs.configuredDefault?.value
      && lhs.configuredDefault?.line == rhs.configuredDefault?.line && lhs.honoursNextEntry == rhs.honoursNextEntry
  }

  /// Reads the menu of `text`, a grub.cfg.
  public init(text: String) {
    // The open blocks, innermost last: an item being read, or another block (`nil`).
    var open: [Item?] = []
    var items: [Item] = []
    var configuredDefault: (String, Int)?
    var honoursNextEntry = false
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let words = Self.words(line)
      guard let command = words.first else { continue }
      if command == "}" && words.count == 1 {
        guard let closed = open.popLast() else { continue }
        guard let closed else { continue }
        if let parent = open.lastIndex(where: { $0 != nil }), open[parent]?.children != nil {
          open[parent]?.children?.append(closed)
        } else if !open.contains(where: { $0 != nil }) {
          items.append(closed)
        }
        continue
      }
      if command == "menuentry" || command == "submenu", words.count >= 2, words.last == "{" {
        let idIndex = words.firstIndex { $0 == "$menuentry_id_option" || $0 == "--id" }
        let id = idIndex.flatMap { $0 + 1 < words.count - 1 ? words[$0 + 1] : nil }
        open.append(
          Item(title: words[1], id: id, line: offset + 1, image: nil, children: command == "submenu" ? [] : nil))
        continue
      }
      if words.last == "{" {
        open.append(nil)
        continue
      }
      if ["linux", "linux16", "linuxefi"].contains(command), words.count >= 2, let index = open.indices.last,
        open[index] != nil, open[index]?.children == nil, open[index]?.image == nil
      {
        open[index]?.image = words[1]
        continue
      }
      if command == "set", words.count == 2, words[1].hasPrefix("default=") {
        let value = String(words[1].dropFirst("default=".count))
        if value == "${next_entry}" { honoursNextEntry = true } else { configuredDefault = (value, offset + 1) }
      }
    }
    self.items = items
    self.configuredDefault = configuredDefault
    self.honoursNextEntry = honoursNextEntry
  }

  /// The entry GRUB starts for the default `value`: a position (`0`), a title or an id,
  /// or a path of them through submenus (`1>2`, `gnulinux-advanced-…>gnulinux-6.1…`), as
  /// GRUB's menu resolves `default`.
  ///
  /// - Throws: the reason, when `value` names no item or names a submenu.
  public func entry(for value: String) throws(GrubMenuError) -> Item {
    var level = items
    let parts = value.isEmpty ? ["0"] : value.split(separator: ">", omittingEmptySubsequences: false).map(String.init)
    for (index, part) in parts.enumerated() {
      let found: Item?
      if let position = Int(part) {
        found = position >= 0 && position < level.count ? level[position] : nil
      } else {
        found = level.first { $0.id == part } ?? level.first { $0.title == part }
      }
      guard let found else {
        throw GrubMenuError(message: "the default \"\(value)\" names no menu entry (no \"\(part)\" at that level)")
      }
      if index == parts.count - 1 {
        guard found.children == nil else {
          throw GrubMenuError(
            message: "the default \"\(value)\" names the submenu \"\(found.title)\", not an entry: GRUB opens it")
        }
        return found
      }
      guard let children = found.children else {
        throw GrubMenuError(message: "the default \"\(value)\" goes into \"\(found.title)\", which is no submenu")
      }
      level = children
    }
    throw GrubMenuError(message: "the default \"\(value)\" names no menu entry")
  }

  /// The words of one line as the shell splits them: blanks separate words, single quotes
  /// keep everything, double quotes keep everything but `\"` and `\\`, a backslash outside
  /// quotes keeps the next character. `#` at the start of a word starts a comment.
  static func words(_ line: Substring) -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaping = false
    for character in line {
      if escaping {
        current.append(character)
        escaping = false
        continue
      }
      switch (quote, character) {
      case ("'", "'"), ("\"", "\""): quote = nil
      case ("'", _): current.append(character)
      case ("\"", "\\"): escaping = true
      case ("\"", _): current.append(character)
      case (nil, "'"), (nil, "\""):
        quote = character
        inWord = true
      case (nil, "\\"):
        escaping = true
        inWord = true
      case (nil, " "), (nil, "\t"):
        if inWord { words.append(current) }
        current = ""
        inWord = false
      case (nil, "#") where !inWord: return words
      default:
        current.append(character)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }
}

/// Why a grub.cfg's default names no entry.
public struct GrubMenuError: Error, Sendable, Equatable {
  /// The reason, in words.
  public var message: String
}
