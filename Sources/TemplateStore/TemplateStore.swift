import Mustache

/// The templates of the package's `Templates/` folder, embedded in the binary
/// at build time, rendered with Mustache.
///
/// Not for user-supplied templates: only the files shipped in `Templates/`.
public enum TemplateStore {
  /// An error rendering a template.
  public struct Failure: Error, CustomStringConvertible {
    /// What went wrong, naming the template.
    public var description: String
  }

  /// The names of the embedded templates, for example `ksmtuned.conf.mustache`.
  public static var names: [String] { embeddedTemplates.keys.sorted() }

  /// The raw text of the template `name`, or `nil` when there is none.
  public static func text(named name: String) -> String? {
    embeddedTemplates[name]
  }

  /// Renders the template `name` with `context` (a dictionary of values).
  ///
  /// - Throws: ``Failure`` when there is no such template or it does not parse.
  public static func render(_ name: String, _ context: [String: Any]) throws -> String {
    guard let text = embeddedTemplates[name] else {
      throw Failure(description: "no template named '\(name)' in Templates/")
    }
    do {
      let template = try MustacheTemplate(string: text)
      return template.render(context)
    } catch {
      throw Failure(description: "Templates/\(name): \(error)")
    }
  }
}
