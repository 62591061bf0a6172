import TemplateStore

/// The commented starter desired-state file `virthost init` writes, from
/// `Templates/host.yaml.mustache`.
public enum StarterSpec {
  /// The template's name in `Templates/`.
  public static let template = "host.yaml.mustache"

  /// The starter file's text.
  public static func text() throws -> String {
    try TemplateStore.render(template, [:])
  }
}
