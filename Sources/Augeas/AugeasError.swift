/// An error from libaugeas or from a file it could not parse or write, with the
/// context a user needs to act on it.
///
/// It is not for control flow inside the library: every throwing operation of
/// ``AugeasTree`` throws it, already filled in.
public struct AugeasError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, with a Swift name for each Augeas error code.
  public enum Code: Sendable, Equatable {
    /// `AUG_ENOMEM`.
    case outOfMemory
    /// `AUG_EINTERNAL`: a bug in libaugeas.
    case internalError
    /// `AUG_EPATHX`: the path expression is invalid.
    case invalidPath
    /// `AUG_ENOMATCH`: no node matches the path expression.
    case noMatch
    /// `AUG_EMMATCH`: more than one node matches where one was required.
    case multipleMatches
    /// `AUG_ESYNTAX`: a lens file has a syntax error.
    case lensSyntax
    /// `AUG_ENOLENS`: the lens could not be found.
    case noLens
    /// `AUG_EMXFM`: several transforms apply to one file.
    case multipleTransforms
    /// `AUG_ENOSPAN`: no span is recorded for the node.
    case noSpan
    /// `AUG_EMVDESC`: a node cannot move into its own descendant.
    case moveIntoDescendant
    /// `AUG_ECMDRUN`: a command failed.
    case commandFailed
    /// `AUG_EBADARG`: an invalid argument.
    case badArgument
    /// `AUG_ELABEL`: an invalid label.
    case invalidLabel
    /// `AUG_ECPDESC`: a node cannot be copied into its own descendant.
    case copyIntoDescendant
    /// `AUG_EFILEACCESS`: a file could not be opened or read.
    case fileAccess
    /// A file could not be parsed with its lens when loading.
    case parseFailed
    /// A file could not be written back (put or rename failed).
    case saveFailed
    /// Text could not be parsed or rendered with a lens (text store / retrieve).
    case textFailed
    /// The handle could not be created at all.
    case initFailed
    /// A code this wrapper does not know.
    case unknown(Int32)
  }

  /// The error kind.
  public var code: Code
  /// The operation that failed, for example `aug_set`.
  public var operation: String
  /// The path expression the operation was given, if any.
  public var path: String?
  /// Augeas's message for the code.
  public var message: String
  /// Augeas's minor message, for example what is wrong in a path expression.
  public var minorMessage: String?
  /// Augeas's details, for example where in the path expression the error is.
  public var details: String?
  /// For a file that failed to load or save: what `/augeas/files/<file>/error` records.
  public var file: FileProblem?

  /// Creates an error; the library fills these in, callers rarely need to.
  public init(
    code: Code, operation: String, path: String? = nil, message: String,
    minorMessage: String? = nil, details: String? = nil, file: FileProblem? = nil
  ) {
    self.code = code
    self.operation = operation
    self.path = path
    self.message = message
    self.minorMessage = minorMessage
    self.details = details
    self.file = file
  }

  /// One sentence a user can act on.
  public var description: String {
    if let file { return file.description }
    var text = "\(operation)"
    if let path { text += " '\(path)'" }
    text += " failed: \(message)"
    if let minorMessage, !minorMessage.isEmpty { text += ": \(minorMessage)" }
    if let details, !details.isEmpty { text += " (\(details))" }
    return text
  }
}

extension AugeasError.Code {
  init(augeasCode: Int32) {
    switch augeasCode {
    case 1: self = .outOfMemory
    case 2: self = .internalError
    case 3: self = .invalidPath
    case 4: self = .noMatch
    case 5: self = .multipleMatches
    case 6: self = .lensSyntax
    case 7: self = .noLens
    case 8: self = .multipleTransforms
    case 9: self = .noSpan
    case 10: self = .moveIntoDescendant
    case 11: self = .commandFailed
    case 12: self = .badArgument
    case 13: self = .invalidLabel
    case 14: self = .copyIntoDescendant
    case 15: self = .fileAccess
    default: self = .unknown(augeasCode)
    }
  }
}
