import Editors
import Foundation
import RootFS

/// Carries out a plan's operations in dependency order: files, then the boot-loader
/// regeneration once, then services, then live values; stops at the first failure.
///
/// Backs up every file it will change first. Used by ``Engine`` under the root's lock.
struct Applier {
  let root: String
  let runsCommands: Bool

  private struct Step {
    var description: String
    var skip: String?
    var run: () throws -> Void
  }

  /// Applies `plan`, whose operations must be fresh (planned under the lock).
  func apply(_ plan: Plan, progress: (ApplyEvent) -> Void) throws(EngineError) -> ApplyReport {
    let store = BackupStore(root: root)
    let backup: String
    do {
      backup = try store.create(
        specFile: plan.specFile, paths: plan.fileOperations.map(\.path) + (plan.regeneration?.outputs ?? []),
        live: liveBefore(plan))
    } catch {
      throw .io("cannot back up the files under \(root + BackupStore.folder): \(HostFileSystemError.describe(error))")
    }
    let steps = self.steps(plan, store: store, backup: backup)
    var applied: [String] = []
    var skipped: [String] = []
    for (index, step) in steps.enumerated() {
      if let reason = step.skip {
        progress(ApplyEvent(step: step.description, outcome: .skipped(reason)))
        skipped.append("\(step.description): \(reason)")
        continue
      }
      progress(ApplyEvent(step: step.description, outcome: .started))
      do {
        try step.run()
      } catch {
        let message = HostFileSystemError.describe(error)
        progress(ApplyEvent(step: step.description, outcome: .failed(message)))
        throw .failed(
          ApplyFailure(
            step: step.description, message: message, applied: applied,
            notApplied: steps[(index + 1)...].map(\.description), backup: backup))
      }
      progress(ApplyEvent(step: step.description, outcome: .done))
      applied.append(step.description)
    }
    return ApplyReport(plan: plan, applied: applied, skipped: skipped, backup: backup)
  }

  /// The value of each live file before its first write.
  private func liveBefore(_ plan: Plan) -> [(path: String, value: String)] {
    var result: [(path: String, value: String)] = []
    for write in plan.changes.flatMap(\.liveWrites) where !result.contains(where: { $0.path == write.path }) {
      let text = FileManager.default.contents(atPath: root + write.path).map {
        String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      }
      if let text { result.append((write.path, text)) }
    }
    return result
  }

  private func steps(_ plan: Plan, store: BackupStore, backup: String) -> [Step] {
    var steps: [Step] = []
    for change in plan.changes where change.isChange {
      for operation in change.files {
        steps.append(
          Step(
            description:
              "\(operation.action == .create ? "create" : operation.action == .delete ? "remove" : "write") \(operation.path)"
          ) {
            try write(operation)
          })
      }
    }
    if let regeneration = plan.regeneration {
      let command = regeneration.command.joined(separator: " ")
      steps.append(
        Step(
          description: "regenerate the boot loader (\(command))",
          skip: runsCommands ? nil : "the root is not /; run `\(command)` on the host itself"
        ) {
          try BootLoaderEditor(root: root).runRegeneration()
        })
    }
    for change in plan.changes where change.isChange && change.address.kind == .service {
      let name = change.address.name
      if !change.links.isEmpty || change.enableAfterInstall != nil {
        let verb = change.actions.contains(.disable) ? "disable" : "enable"
        steps.append(
          Step(description: "\(verb) service \(name)") {
            let editor = try ServiceEditor(root: try HostRoot(root))
            var links = change.links
            if let installed = change.enableAfterInstall {
              links = try editor.enablementChanges(installed, enabled: true)
            }
            try store.record(links: links, in: backup)
            let writer = HostRootWriter(editor.root)
            for link in try editor.linksToChange(links) {
              switch link.kind {
              case .create: try writer.createLink(link.path, to: link.target)
              case .remove: try writer.remove(link.path)
              }
            }
          })
      }
      for action in change.actions where action == .start || action == .stop {
        steps.append(
          Step(description: "\(action.rawValue) service \(name)") {
            try ServiceControl(root: try HostRoot(root)).carryOut(action == .start ? .start : .stop, name)
          })
      }
    }
    for change in plan.changes where change.isChange {
      for write in change.liveWrites {
        let purpose = write.purpose.map { " (\($0))" } ?? ""
        steps.append(
          Step(description: "write \(write.value) to \(write.path)\(purpose)") {
            try HostFileSystem.writeLive(root + write.path, write.value)
          })
      }
    }
    return steps
  }

  /// Writes one file, first checking that it still has the bytes the plan read.
  private func write(_ operation: FileOperation) throws {
    let path = root + operation.path
    let current = FileManager.default.contents(atPath: path)
    guard current == operation.before else {
      throw HostFileSystemError(path: operation.path, message: "changed since it was planned; nothing written to it")
    }
    if let after = operation.after {
      try HostFileSystem.replace(path, with: after, mode: operation.mode)
    } else {
      try HostFileSystem.remove(path)
    }
  }
}
