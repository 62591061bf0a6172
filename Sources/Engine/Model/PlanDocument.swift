import Editors
import Foundation

/// The JSON form of a ``Plan``: what `virthost plan --format json` prints and
/// `virthost plan --out FILE` saves, one stable, versioned schema (docs/engine.md).
///
/// It keeps digests, not file contents: `virthost apply FILE` plans again from
/// the saved desired state and applies only when everything read and every
/// operation is the same (see ``Engine/verify(_:against:)``). Fields marked
/// "display only" are for readers and are not checked.
public struct PlanDocument: Codable, Equatable, Sendable {
  /// ``Plan/formatVersion`` at the time of writing.
  public var formatVersion: Int
  /// The root directory the plan was made for.
  public var root: String
  /// The desired state the plan was made from.
  public var spec: Spec
  /// Display only: the summary line and counts.
  public var summary: Summary
  /// Every resource, in apply order.
  public var changes: [Change]
  /// The boot-loader regeneration that follows the files, when there is one.
  public var regeneration: RegenerationStep?
  /// Errors, warnings and notes.
  public var diagnostics: [Diagnostic]
  /// Everything read from the host, with digests.
  public var reads: [Observation]
  /// Display only: the unified diff of every file.
  public var diff: String
  /// Display only: which way the files were read (`converged`: the trace of the last
  /// converged apply matched and nothing was parsed; `full`), and why. Absent in files
  /// written before it existed.
  public var readPath: ReadPathField?

  /// Display only: ``Plan/readPath``.
  public struct ReadPathField: Codable, Equatable, Sendable {
    /// `converged` or `full`.
    public var taken: String
    /// Why.
    public var reason: String
  }

  /// The desired-state file.
  public struct Spec: Codable, Equatable, Sendable {
    /// Its name as given.
    public var file: String
    /// Its whole text.
    public var text: String
  }

  /// Display only: `Plan: 3 to change.` and the count of each action.
  public struct Summary: Codable, Equatable, Sendable {
    /// The summary sentence.
    public var text: String
    /// How many resources carry each action, by action name.
    public var counts: [String: Int]
  }

  /// One resource.
  public struct Change: Codable, Equatable, Sendable {
    /// The canonical address.
    public var address: ResourceAddress
    /// The actions, `["no-op"]` for an unchanged resource.
    public var actions: [Action]
    /// The desired keys it comes from, sorted.
    public var origins: [String]
    /// Display only: why.
    public var reason: String
    /// Display only: the current value in words.
    public var before: String?
    /// Display only: the desired value in words.
    public var after: String?
    /// What an apply does, in order (see ``Operation``).
    public var operations: [Operation]
  }

  /// The boot-loader regeneration command.
  public struct RegenerationStep: Codable, Equatable, Sendable {
    /// The command and its arguments.
    public var command: [String]
    /// The files it writes.
    public var outputs: [String]
  }

  /// The document of `plan`.
  public init(_ plan: Plan) {
    formatVersion = Plan.formatVersion
    root = plan.root
    spec = Spec(file: plan.specFile, text: plan.specText)
    var counts: [String: Int] = [:]
    for (action, count) in plan.actionCounts { counts[action.rawValue] = count }
    summary = Summary(text: plan.summary, counts: counts)
    changes = plan.changes.map(Change.init)
    regeneration = plan.regeneration.map { RegenerationStep(command: $0.command, outputs: $0.outputs) }
    diagnostics = plan.diagnostics
    reads = plan.observations
    diff = UnifiedDiff.of(plan.diffedOperations)
    readPath = ReadPathField(taken: plan.readPath.name, reason: plan.readPath.reason)
  }

  /// The document's JSON: pretty-printed, keys sorted, slashes unescaped, a final newline.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Whether `data` is a saved plan (JSON with a `format_version`), not a desired-state file.
  public static func isPlan(_ data: Data) -> Bool {
    struct Version: Decodable { var formatVersion: Int }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return (try? decoder.decode(Version.self, from: data)) != nil
  }

  /// Reads a document from its JSON.
  ///
  /// - Throws: ``PlanFileError`` when the text is not a plan or its format version is not this engine's.
  public static func decode(_ data: Data, file: String) throws(PlanFileError) -> PlanDocument {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    struct Version: Decodable { var formatVersion: Int? }
    guard let version = try? decoder.decode(Version.self, from: data).formatVersion else {
      throw PlanFileError(file: file, message: "is not a saved virthost plan (no format_version)")
    }
    guard Plan.readableFormatVersions.contains(version) else {
      throw PlanFileError(
        file: file,
        message: "has plan format version \(version); this virthost reads "
          + (Plan.readableFormatVersions.count == 1
            ? "version \(Plan.formatVersion)"
            : "versions \(Plan.readableFormatVersions.lowerBound) to \(Plan.formatVersion)")
          + ": plan again with this virthost")
    }
    do {
      return try decoder.decode(PlanDocument.self, from: data)
    } catch {
      throw PlanFileError(file: file, message: "is not a valid saved plan: \(error)")
    }
  }
}

extension PlanDocument.Change {
  init(_ change: ResourceChange) {
    address = change.address
    actions = change.actions
    origins = change.origins
    reason = change.reason
    before = change.before
    after = change.after
    operations = change.operations.map(PlanDocument.Operation.init)
  }

  /// The change without its display-only fields, for comparing a saved plan with a new one.
  var withoutDisplay: PlanDocument.Change {
    var copy = self
    copy.reason = ""
    copy.before = nil
    copy.after = nil
    return copy
  }
}

/// A saved plan file that cannot be read.
public struct PlanFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The plan file.
  public var file: String
  /// What is wrong with it.
  public var message: String

  /// `file: message`.
  public var description: String { "\(file): \(message)" }
}
