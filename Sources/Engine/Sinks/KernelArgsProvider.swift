import Editors
import Foundation
import HostConfig

/// The `kernel_args["all"]` or `kernel_args["default"]` resource: the arguments of
/// the boot loader's kernel lines, through ``BootLoaderEditor``.
struct KernelArgsProvider: ResourceProvider {
  /// One argument the desired state asks for, and why.
  struct Want {
    /// The argument.
    var argument: KernelArgument
    /// `true`: must be on the lines; `false`: must not.
    var present: Bool
    /// The desired key that asks for it.
    var origin: String
    /// Why, in words (`iommu: on on an AMD CPU`).
    var reason: String
    /// The ordered run the argument belongs to (see ``KernelArgsRequest/groups``), `nil` for
    /// an argument that stands alone.
    var run: Int? = nil
  }

  var entries: EntrySelection
  var wants: [Want]

  var origin: String { Array(Set(wants.map(\.origin))).sorted().joined(separator: ", ") }

  /// Whether an argument on a line satisfies (or, for an absent one, matches) `wanted`:
  /// a wanted argument without a value matches the key with any value.
  static func matches(_ argument: KernelArgument, _ wanted: KernelArgument) -> Bool {
    argument.key == wanted.key && (wanted.value == nil || argument.value == wanted.value)
  }

  /// Only boot-loader files are read.
  func isTraced(in context: PlanContext) -> Bool { true }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let address = ResourceAddress(.kernelArgs, entries.rawValue)
    if let mode = ImageMode.detect(context.host) { return try imageModeChanges(mode, address, in: context) }
    // Only systemd-boot starts unified kernel images (type 2 entries, or a type 1 entry's `uki`).
    if (try? BootLoaderKind.detect(in: context.host)) == .bls, case .found(let next) = NextBootEntry.read(context.host),
      next.image == .uki
    {
      context.report(
        Diagnostic(
          .error, .unifiedKernelImage,
          "the next boot starts \(next.file), a unified kernel image (\(next.decidedBy)): its command line is built "
            + "into the image, so virthost cannot set kernel arguments for it; build the image with them "
            + "(kernel-install's /etc/kernel/cmdline, ukify --cmdline) or boot a type 1 entry",
          address: address, keyPath: origin))
      return []
    }
    let editor = try BootLoaderEditor(root: context.host)
    let selected = try editor.entries().filter { entries == .all || $0.isDefault }
    var read: [String: Data] = [:]
    for file in editor.sourceFiles { read[file] = context.readFile(file) }

    var missing: [Want] = []
    for want in wants {
      let onEvery = selected.allSatisfy { entry in entry.arguments.contains { Self.exactly($0, want.argument) } }
      let onAny = selected.contains { entry in entry.arguments.contains { Self.matches($0, want.argument) } }
      if want.present ? !onEvery : onAny { missing.append(want) }
    }
    var runs: [Int: [KernelArgument]] = [:]
    for want in wants where want.present { if let run = want.run { runs[run, default: []].append(want.argument) } }
    let request = KernelArgsRequest(
      entries: entries, present: wants.filter { $0.present && $0.run == nil }.map(\.argument),
      absent: wants.filter { !$0.present }.map(\.argument), groups: runs.keys.sorted().map { runs[$0]! })
    try editor.ensure(request)
    if let tuned = editor.tuned {
      for want in wants where want.present && tuned.arguments.contains(want.argument) {
        context.report(
          Diagnostic(
            .note, .tunedOwnsArgument, "\(want.argument) is set by \(tuned.owner): virthost adds nothing",
            address: address, keyPath: want.origin))
      }
    }
    let tunedArguments = editor.tuned?.arguments ?? []
    // The edited entries, read once for the coverage and the removed values (each read
    // walks every entry's Augeas paths: a third read doubled a 2000-entry plan's cost).
    let edited = try editor.entries()
    for gap in CommandLineSource.gaps(
      in: try editor.commandLineSources(entries: edited), for: request.present.filter { !tunedArguments.contains($0) },
      selected: Set(selected.map(\.title)))
    {
      context.report(Diagnostic(.warning, .kernelArgumentCoverage, gap, address: address, keyPath: origin))
    }
    // A line too long is placed at the key that asks for the longest argument.
    let longest = wants.filter(\.present).max {
      $0.argument.description.utf8.count < $1.argument.description.utf8.count
    }
    for entry in edited where entries == .all || entry.isDefault {
      let before = selected.first { $0.file == entry.file && $0.index == entry.index }?.arguments
      guard before != entry.arguments, let problem = CommandLineLimit.problem(entry.arguments) else { continue }
      context.report(
        Diagnostic(
          .error, .commandLineTooLong,
          "the kernel command line of \"\(entry.title)\" (\(entry.file)) would be \(problem): it would be cut",
          detail: "Remove arguments from kernel.args or from the entry.", address: address,
          keyPath: longest?.origin ?? origin))
    }
    for warning in XenDom0Advice.warnings(selected, request) {
      context.report(Diagnostic(.warning, .xenDom0Argument, warning, address: address, keyPath: origin))
    }
    for removal in ArgumentRemoval.between(before: selected, after: edited, request: request) {
      context.report(
        Diagnostic(
          .warning, .removedKernelArgumentValue, removal.description,
          detail: "The desired state names this key with other values only; the admin's value is removed.",
          address: address, keyPath: origin))
    }
    let files =
      context.rendersFiles
      ? try editor.pendingChanges().map { FileOperation($0) }
      : editor.changedFiles().map { file in
        var operation = FileOperation.unrendered(path: file, before: read[file])
        operation.command = editor.command(for: file)
        return operation
      }

    let keys = Set(wants.map(\.argument.key))
    var current: [String] = []
    for entry in selected {
      for argument in entry.arguments where keys.contains(argument.key) && !current.contains(argument.description) {
        current.append(argument.description)
      }
    }
    var after = wants.filter(\.present).map(\.argument.description)
    let without = wants.filter { !$0.present }.map(\.argument.description)
    if !without.isEmpty { after.append("without " + without.joined(separator: ", ")) }

    let changing = !files.isEmpty
    let reasons = (changing ? missing : wants).map { want in
      "\(want.reason) \(want.present ? "needs" : "rules out") \(want.argument)"
    }
    var change = ResourceChange(
      address, actions: changing ? [.update] : [], before: current.isEmpty ? "none" : current.joined(separator: " "),
      after: after.joined(separator: " "),
      reason: reasons.joined(separator: "; ") + " on the \(entries == .all ? "kernel lines" : "default kernel line")",
      origins: wants.map(\.origin))
    change.operations = files.map(Operation.writeFile)
    if changing && editor.regeneration() != nil { change.operations.append(.regenerateBootLoader) }
    if changing {
      for explanation in editor.explanations() {
        context.report(Diagnostic(.note, .commandLineSource, explanation, address: address, keyPath: origin))
      }
    }
    rebootNotes(address, context)
    return [change] + pendingRegeneration(editor, keys: keys, changing: changing, context)
  }

  /// The generated configuration's side of the state (GRUB 2's grub.cfg): a warning when
  /// today's entries and the evaluated sources of the next ones disagree on a managed
  /// argument, and, when the sources need no change, the `boot_loader_regeneration`
  /// resource whose step is the plan's regeneration ("pending regeneration").
  private func pendingRegeneration(
    _ editor: BootLoaderEditor, keys: Set<String>, changing: Bool, _ context: PlanContext
  ) -> [ResourceChange] {
    if !changing, let regeneration = editor.regenerationCommand() {
      for unread in editor.unreadGeneratedConfigurations() {
        context.report(
          Diagnostic(
            .warning, .regenerationUnknown, "whether the boot loader waits for a regeneration is not known: \(unread)",
            detail: "Mount it read-only at the same place under the root to compare it, or run "
              + "`\(regeneration.command.joined(separator: " "))` on the host.",
            address: ResourceAddress(.bootLoaderRegeneration, regeneration.outputs[0]), keyPath: origin))
      }
    }
    let stale = editor.staleGeneratedLines(comparing: keys)
    guard !stale.isEmpty, let regeneration = editor.regenerationCommand() else { return [] }
    let command = regeneration.command.joined(separator: " ")
    let address = ResourceAddress(.bootLoaderRegeneration, regeneration.outputs[0])
    context.report(
      Diagnostic(
        .warning, .kernelArgumentCoverage,
        "today's boot entries and the source of the next kernel's entries disagree on "
          + keys.sorted().joined(separator: ", ") + "; "
          + (changing ? "drifted: the plan changes the sources and regenerates" : "pending regeneration"),
        detail: stale.joined(separator: "\n") + "\nRegenerate with `\(command)` on the host.",
        address: address, keyPath: origin))
    if changing { return [] }
    var change = ResourceChange(
      address, actions: [.update], before: "stale (\(stale.count) Linux line\(stale.count == 1 ? "" : "s"))",
      after: "regenerated from the boot loader's sources",
      reason: "pending regeneration: the sources carry the requested kernel arguments, the generated "
        + "configuration does not: " + stale.joined(separator: "; "),
      origins: wants.map(\.origin))
    change.operations = [.regenerateBootLoader]
    return [change]
  }

  /// Whether `argument` is exactly `wanted`, value included.
  private static func exactly(_ argument: KernelArgument, _ wanted: KernelArgument) -> Bool {
    argument.key == wanted.key && argument.value == wanted.value
  }

  /// One note naming the arguments the running kernel lacks or still has.
  func rebootNotes(_ address: ResourceAddress, _ context: PlanContext) {
    guard let commandLine = context.profile.runningCommandLine else { return }
    let running = commandLine.split(whereSeparator: \.isWhitespace).map { KernelArgument(word: String($0)) }
    var lacks: [Want] = []
    var stillHas: [Want] = []
    for want in wants {
      if want.present, !running.contains(where: { Self.exactly($0, want.argument) }) { lacks.append(want) }
      if !want.present, running.contains(where: { Self.matches($0, want.argument) }) { stillHas.append(want) }
    }
    guard !lacks.isEmpty || !stillHas.isEmpty else { return }
    var parts: [String] = []
    if !lacks.isEmpty { parts.append("lacks " + lacks.map(\.argument.description).joined(separator: " ")) }
    if !stillHas.isEmpty { parts.append("still has " + stillHas.map(\.argument.description).joined(separator: " ")) }
    let origins = Array(Set((lacks + stillHas).map(\.origin))).sorted().joined(separator: ", ")
    context.report(
      Diagnostic(
        .note, .rebootRequired, "reboot required: the running kernel " + parts.joined(separator: " and "),
        detail: "Kernel arguments take effect at the next boot.", address: address, keyPath: origins))
  }
}
