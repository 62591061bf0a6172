/// A problem or a remark found while reading a desired-state file or planning:
/// collected, never thrown one at a time, so that all of them are shown together.
///
/// Errors stop a plan from being made or applied; warnings and notes do not.
public struct Diagnostic: Sendable, Equatable, Codable {
  /// How serious a diagnostic is.
  public enum Severity: String, Sendable, Codable, Comparable {
    /// Nothing is planned or applied while there is one.
    case error
    /// The plan goes on, but a reader should look.
    case warning
    /// Information: a skipped key, a reboot that is needed.
    case note

    private var rank: Int {
      switch self {
      case .error: 0
      case .warning: 1
      case .note: 2
      }
    }

    /// Errors sort first, then warnings, then notes.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
  }

  /// How serious it is.
  public var severity: Severity
  /// What it is about, for programs to match on.
  public var code: Code
  /// The resource concerned, when there is one.
  public var address: ResourceAddress?
  /// One line saying what is wrong or worth knowing.
  public var summary: String
  /// More explanation, or `nil`.
  public var detail: String?
  /// The key in the desired-state file, as a dotted path (`ksm.settings`), when there is one.
  public var keyPath: String?
  /// Where in the desired-state file, when the diagnostic is about it.
  public var location: SourceLocation?

  /// Creates a diagnostic.
  public init(
    _ severity: Severity, _ code: Code, _ summary: String, detail: String? = nil, address: ResourceAddress? = nil,
    keyPath: String? = nil, location: SourceLocation? = nil
  ) {
    self.severity = severity
    self.code = code
    self.summary = summary
    self.detail = detail
    self.address = address
    self.keyPath = keyPath
    self.location = location
  }

  private enum CodingKeys: String, CodingKey {
    case severity, code, address, summary, detail, keyPath, location
  }

  /// Decodes a diagnostic; one of a format-1 plan file, which has no `code`, gets ``Code/unrecorded``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    severity = try container.decode(Severity.self, forKey: .severity)
    code = try container.decodeIfPresent(Code.self, forKey: .code) ?? .unrecorded
    address = try container.decodeIfPresent(ResourceAddress.self, forKey: .address)
    summary = try container.decode(String.self, forKey: .summary)
    detail = try container.decodeIfPresent(String.self, forKey: .detail)
    keyPath = try container.decodeIfPresent(String.self, forKey: .keyPath)
    location = try container.decodeIfPresent(SourceLocation.self, forKey: .location)
  }
}

/// A position in a text file: `host.yaml:4:3`.
public struct SourceLocation: Sendable, Equatable, Codable, CustomStringConvertible {
  /// The file as given by the user.
  public var file: String
  /// The 1-based line.
  public var line: Int
  /// The 1-based column.
  public var column: Int

  /// Creates a location.
  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column`.
  public var description: String { "\(file):\(line):\(column)" }
}
