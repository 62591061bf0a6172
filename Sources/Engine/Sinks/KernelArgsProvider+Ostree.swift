import Editors
import Foundation
import HostConfig

extension KernelArgsProvider {
  /// The kernel arguments of a host that boots ostree deployments: one command run on the
  /// live host (``OstreeKargsCommand``) that stages a deployment with them, judged on the
  /// entry of the deployment the next boot starts; pending until the host boots it
  /// (`/proc/cmdline`, the reboot note). `/boot` is never written.
  func ostreeChanges(_ evidence: String, _ address: ResourceAddress, in context: PlanContext) throws(EditorError)
    -> [ResourceChange]
  {
    let deployments = try OstreeDeployments.read(context.host)
    for entry in deployments.entries { _ = context.readFile(entry.file) }
    _ = context.readFile(OstreeDeployments.stagedDeploymentFile)
    if deployments.hasStagedDeployment && deployments.staged == nil {
      context.report(
        Diagnostic(
          .warning, .stagedDeploymentUnread,
          "a deployment is staged for the next boot (\(OstreeDeployments.stagedDeploymentFile)) without its own "
            + "kernel arguments (they are the merge deployment's, written to its entry only at shutdown): "
            + "whether it carries the requested arguments is not known",
          detail: "Reboot into it (or run `rpm-ostree kargs` to see them) and plan again.", address: address,
          keyPath: origin))
      return []
    }
    guard let next = deployments.next else {
      context.report(
        Diagnostic(
          .error, .imageModeHost,
          "this host boots ostree deployments (\(evidence)), but no entry under /boot/loader/entries has "
            + "ostree= in its options: the deployment to change cannot be told",
          address: address, keyPath: origin))
      return []
    }
    guard let folder = OstreeDeployments.deploymentFolder(of: next, in: context.host) else {
      context.report(
        Diagnostic(
          .error, .imageModeHost,
          "the deployment of \(next.shown) is not under the root (nor under /sysroot): "
            + "the image's \(OstreeDeployments.kargsFolder) of that deployment cannot be read",
          address: address, keyPath: origin))
      return []
    }
    let image: [(file: String, arguments: [String])]
    do {
      image = try BootcKargsEditor(root: try context.host.root(at: folder)).imageFiles(includingVirthost: true).map {
        (folder + $0.path, $0.arguments)
      }
    } catch let error as EditorError {
      throw error
    } catch {
      throw EditorError(message: "\(folder): \(error)")
    }
    let tools = ImageModeTools.read(context.host)
    let outcome = OstreeKargsCommand.outcome(
      entry: next, imageFiles: image, requests: wants.map { .init($0.argument, present: $0.present) },
      useSource: tools?.setsOptionsForSource ?? false)
    switch outcome {
    case .refused(let arguments):
      for (argument, file) in arguments {
        let want = wants.first { $0.argument.key == KernelArgument(word: argument).key }
        context.report(
          Diagnostic(
            .error, .imageModeHost,
            "\(argument) on \(next.file) comes from the image's \(file): change that file in the image; removing "
              + "an image's argument on the host is undefined behaviour per bootc's documentation",
            address: address, keyPath: want?.origin ?? origin))
      }
      return []
    case .inSync, .run:
      break
    }
    let keys = Set(wants.map(\.argument.key))
    let current = next.arguments.filter { keys.contains(KernelArgument(word: $0).key) }
    var after = wants.filter(\.present).map(\.argument.description)
    let without = wants.filter { !$0.present }.map(\.argument.description)
    if !without.isEmpty { after.append("without " + without.joined(separator: ", ")) }
    var change = ResourceChange(
      address, actions: [], before: current.isEmpty ? "none" : current.joined(separator: " "),
      after: after.joined(separator: " "),
      reason: "an image-mode host: the deployment the next boot starts (\(next.shown))",
      origins: wants.map(\.origin))
    if case .run(let command) = outcome {
      change.actions = [.update]
      change.reason += " gets them in a new staged deployment; /boot is not edited"
      change.operations = [.runAfterFiles(command)]
      if command.arguments[0] == "rpm-ostree" {
        let why =
          tools.map { $0.whyNotSource ?? "a value another source or no source owns must change or go" }
          ?? "bootc and ostree are asked what they support on the live host only"
        context.report(
          Diagnostic(
            .note, .imageModeHost,
            "rpm-ostree kargs, not bootc's --source \(OstreeKargsCommand.source): \(why); the arguments are then untracked",
            address: address, keyPath: origin))
      }
    }
    rebootNotes(address, context)
    return [change]
  }
}
