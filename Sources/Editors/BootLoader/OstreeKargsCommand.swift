import HostConfig

/// The one command that gives an ostree deployment's next boot the requested kernel
/// arguments, decided from the deployment's entry and who owns each argument in it
/// (``OstreeDeployments/Owner``). A plain value: the applier runs the command on the live
/// host; nothing here writes, and `/boot` is never edited.
///
/// - **bootc's source form** (where ``ImageModeTools/setsOptionsForSource``): `bootc
///   loader-entries set-options-for-source --source virthost --options "…"` with the whole set
///   virthost owns (bootc removes the source's old arguments and adds the new ones: the call is
///   idempotent).
/// - **rpm-ostree's form** (otherwise, or when a value of another source or an untracked one
///   must change or go): one `rpm-ostree kargs` with `--delete-if-present=KEY=OLD` for each
///   value that must go, `--append=KEY=NEW` where the key has other values, and
///   `--append-if-missing=KEY=NEW` only for keys on no source at all (it checks the whole
///   argument, so it would add `amd_iommu=on` beside `amd_iommu=off`). rpm-ostree applies the
///   appends first and the deletions last, each deletion tested against the arguments before
///   the call (`kernel_arg_apply_patching`, `src/daemon/rpmostreed-transaction-types.cxx`).
///
/// An argument of the image's `kargs.d` that must change or go is refused, naming the file.
public struct OstreeKargsCommand: Sendable, Equatable {
  /// One requested argument.
  public struct Request: Sendable, Equatable {
    /// The argument.
    public var argument: KernelArgument
    /// `true`: on the command line; `false`: not.
    public var present: Bool

    /// Creates a request.
    public init(_ argument: KernelArgument, present: Bool) {
      self.argument = argument
      self.present = present
    }
  }

  /// What the deployment needs.
  public enum Outcome: Sendable, Equatable {
    /// Nothing: the entry has the arguments, and virthost's source lists what it owns.
    case inSync
    /// The command to run on the live host.
    case run(HostCommand)
    /// Arguments the image's kargs.d sets that the request must change or remove.
    case refused([(argument: String, file: String)])

    public static func == (lhs: Outcome, rhs: Outcome) -> Bool {
      switch (lhs, rhs) {
      case (.inSync, .inSync): true
      case (.run(let a), .run(let b)): a == b
      case (.refused(let a), .refused(let b)): a.map(\.argument) == b.map(\.argument) && a.map(\.file) == b.map(\.file)
      default: false
      }
    }
  }

  /// The name virthost's arguments are tracked under.
  public static let source = "virthost"

  /// What `entry` needs for `requests`. `imageFiles` are the deployment's kargs.d files (paths
  /// from the host's root); `useSource` chooses bootc's form when nothing foreign must change.
  public static func outcome(
    entry: OstreeDeployments.Entry, imageFiles: [(file: String, arguments: [String])], requests: [Request],
    useSource: Bool
  ) -> Outcome {
    let arguments = entry.arguments.map { KernelArgument(word: $0) }
    var unwanted: [String] = []
    var missing: [Request] = []
    for request in requests {
      let wanted = request.argument
      if request.present {
        if !arguments.contains(where: { $0.key == wanted.key && $0.value == wanted.value }) { missing.append(request) }
        unwanted += arguments.filter { $0.key == wanted.key && $0.value != wanted.value }.map(\.description)
      } else {
        unwanted += arguments.filter { $0.key == wanted.key && (wanted.value == nil || $0.value == wanted.value) }
          .map(\.description)
      }
    }
    unwanted = unwanted.reduce(into: []) { kept, word in if !kept.contains(word) { kept.append(word) } }
    let owners = unwanted.map { OstreeDeployments.owner(of: $0, in: entry, imageArguments: imageFiles) }
    let refused = zip(unwanted, owners).compactMap { argument, owner -> (argument: String, file: String)? in
      if case .image(let file) = owner { (argument, file) } else { nil }
    }
    if !refused.isEmpty { return .refused(refused) }
    let foreign = owners.contains { $0 != .source(source) }
    let owned = requests.filter { request in
      guard request.present else { return false }
      let word = request.argument.description
      guard entry.arguments.contains(word) else { return true }
      return OstreeDeployments.owner(of: word, in: entry, imageArguments: imageFiles) == .source(source)
    }.map(\.argument.description)
    if useSource && !foreign {
      let listed = entry.sources[source] ?? []
      guard !missing.isEmpty || !unwanted.isEmpty || listed != owned else { return .inSync }
      var command = ["bootc", "loader-entries", "set-options-for-source", "--source", source]
      if !owned.isEmpty { command += ["--options", owned.joined(separator: " ")] }
      return .run(HostCommand(command, role: .afterWrite))
    }
    guard !missing.isEmpty || !unwanted.isEmpty else { return .inSync }
    var command = ["rpm-ostree", "kargs"]
    command += unwanted.map { "--delete-if-present=" + $0 }
    for request in missing {
      let onLine = arguments.contains { $0.key == request.argument.key }
      command.append((onLine ? "--append=" : "--append-if-missing=") + request.argument.description)
    }
    return .run(HostCommand(command, role: .afterWrite))
  }
}
