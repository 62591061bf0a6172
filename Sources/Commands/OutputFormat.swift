import ArgumentParser

/// The forms a plan can be shown in: for people (`text`), for programs (`json`),
/// for a review comment (`markdown`).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
  case markdown
}
