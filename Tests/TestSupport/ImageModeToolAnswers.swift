/// What an image-mode host's tools print, for tests that inject the answers of
/// `bootc loader-entries --help` and `ostree --version` (bootc and rpm-ostree are not
/// installable on Debian).
public enum ImageModeToolAnswers {
  /// `bootc loader-entries --help` of a bootc that has `set-options-for-source`: clap's help of
  /// bootc's `LoaderEntriesOpts` (`crates/lib/src/cli.rs`), its summaries as written there.
  public static let bootcLoaderEntriesHelp = """
    Operations on Boot Loader Specification (BLS) entries

    Usage: bootc loader-entries <COMMAND>

    Commands:
      set-options-for-source  Set or update the kernel arguments owned by a specific source
      help                    Print this message or the help of the given subcommand(s)
    """

  /// `ostree --version` of libostree `version` (`2026.1`): YAML, as ostree prints it.
  public static func ostreeVersion(_ version: String) -> String {
    "libostree:\n Version: '\(version)'\n Git: v\(version)\n Features:\n  - libcurl\n"
  }
}
