import Editors
import Foundation
import HostConfig

extension KernelArgsProvider {
  /// The key prefixes of arguments only x86 kernels know: written to virthost's
  /// `match-architectures = ["x86_64"]` file, so that an image built for several
  /// architectures does not hand them to the others.
  static let x86Prefixes = ["amd_iommu", "intel_iommu", "kvm_amd.", "kvm_intel."]

  /// The kernel arguments of an image-mode host (see ``ImageMode``): on a root that boots
  /// ostree deployments, one bootc or rpm-ostree command (their entries are never edited in
  /// place); in an image being built, written to `/usr/lib/bootc/kargs.d`.
  func imageModeChanges(_ mode: ImageMode, _ address: ResourceAddress, in context: PlanContext) throws(EditorError)
    -> [ResourceChange]
  {
    switch mode {
    case .deployment(let evidence):
      return try ostreeChanges(evidence, address, in: context)
    case .imageBuild:
      return try kargsDChanges(address, in: context)
    }
  }

  /// virthost's files in the image's `kargs.d`: the present arguments no image file sets
  /// already. An argument of the image's files that the spec must change or remove is
  /// refused, naming the file: bootc appends every file, and removing one locally is
  /// undefined behaviour per bootc's documentation.
  private func kargsDChanges(_ address: ResourceAddress, in context: PlanContext) throws(EditorError)
    -> [ResourceChange]
  {
    let editor = try BootcKargsEditor(root: context.host)
    let image = try editor.imageFiles()
    var refused = false
    for want in wants {
      for file in image {
        let clashes = file.arguments.map { KernelArgument(word: $0) }.filter { argument in
          argument.key == want.argument.key
            && (want.present ? argument.value != want.argument.value : Self.matches(argument, want.argument))
        }
        guard !clashes.isEmpty else { continue }
        refused = true
        context.report(
          Diagnostic(
            .error, .imageModeHost,
            "\(file.path) (the image's) sets \(clashes.map(\.description).joined(separator: " ")), which "
              + "\(want.present ? "\(want.argument) would contradict" : "must not be on the command line"): change that file "
              + "in the image; virthost only adds its own",
            address: address, keyPath: want.origin))
      }
    }
    if refused { return [] }
    let given = Set(image.filter { $0.architectures == nil }.flatMap(\.arguments))
    let present = wants.filter { $0.present && !given.contains($0.argument.description) }.map(\.argument.description)
    let x86 = present.filter { argument in Self.x86Prefixes.contains { argument.hasPrefix($0) } }
    var operations: [FileOperation] = []
    for (arguments, architecture) in [(present.filter { !x86.contains($0) }, nil), (x86, "x86_64")]
      as [([String], String?)]
    {
      if let change = try editor.change(arguments: arguments, architecture: architecture) {
        operations.append(FileOperation(change))
      }
    }
    let after = wants.filter(\.present).map(\.argument.description).joined(separator: " ")
    var change = ResourceChange(
      address, actions: operations.isEmpty ? [] : [.update],
      before: operations.isEmpty ? after : "not in \(BootcKargsEditor.folder)",
      after: after + " (in the image's \(BootcKargsEditor.folder))",
      reason: "an image being built: bootc puts these arguments on every deployment of it",
      origins: wants.map(\.origin))
    change.operations = operations.map(Operation.writeFile)
    return [change]
  }
}
