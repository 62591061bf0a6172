/// What the file says about a setting and what ksmtuned will use.
public struct KsmtunedValue: Sendable, Equatable {
  /// The value assigned in the file (the last assignment, quotes removed), or
  /// `nil` when the file is silent (a commented default does not count).
  public var inFile: String?
  /// The value ksmtuned uses: `inFile`, or else its default (`nil` for an unset `LOGFILE` or `DEBUG`).
  public var effective: String?

  /// Creates a value.
  public init(inFile: String?, effective: String?) {
    self.inFile = inFile
    self.effective = effective
  }
}
