import Editors
import Foundation
import RootFS

/// Carries out a plan's operations in dependency order (``Operation/Phase``): files, then
/// the programs that read them and the boot-loader regeneration once, then services, then
/// live values; stops at the first failure.
///
/// Backs up every file it will change first. Used by ``Engine`` under the root's lock.
/// With rollback, the only code that writes host files, all through ``HostRootWriter``.
struct Applier {
  /// The root applied to.
  let host: HostRoot
  let runsCommands: Bool
  /// How the domains' libvirt is opened (``Planner/libvirtConnector``).
  var libvirtConnector = LibvirtConnector.fresh

  /// The one writer of host files.
  private var writer: HostRootWriter { HostRootWriter(host) }

  private struct Step {
    var description: String
    var skip: String?
    /// The live-host command this step runs, reported pending when the step is skipped.
    var pending: HostCommand?
    var run: () throws -> Void
  }

  /// Applies `plan`, whose operations must be fresh (planned under the lock).
  func apply(_ plan: Plan, progress: (ApplyEvent) -> Void) throws(EngineError) -> ApplyReport {
    // A plan (from a file, or from another version) that would write a sysctl file outside /etc is refused whole.
    for operation in plan.fileOperations {
      if let problem = SysctlEditor.writeProblem(operation.path) {
        throw .io("\(operation.path): \(problem); nothing written")
      }
    }
    let store = BackupStore(root: host)
    let backup: String
    do {
      backup = try store.create(
        specFile: plan.specFile, files: backedUp(plan), live: liveBefore(plan), liveWrites: liveWrites(plan),
        regeneration: plan.regeneration.map {
          .init(program: $0.program, outputs: $0.outputs, arguments: $0.ownArguments)
        })
    } catch {
      throw .io("cannot back up the files under \(store.hostFolder): \(error)")
    }
    let steps = self.steps(plan, store: store, backup: backup)
    var applied: [String] = []
    var skipped: [String] = []
    var pending: [HostCommand] = []
    for (index, step) in steps.enumerated() {
      if let reason = step.skip {
        progress(ApplyEvent(step: step.description, outcome: .skipped(reason)))
        skipped.append("\(step.description): \(reason)")
        if let command = step.pending { pending.append(command) }
        continue
      }
      progress(ApplyEvent(step: step.description, outcome: .started))
      do {
        try step.run()
      } catch {
        let message = "\(error)"
        progress(ApplyEvent(step: step.description, outcome: .failed(message)))
        throw .failed(
          ApplyFailure(
            step: step.description, message: message, applied: applied,
            notApplied: steps[(index + 1)...].map(\.description), backup: backup))
      }
      progress(ApplyEvent(step: step.description, outcome: .done))
      applied.append(step.description)
    }
    var report = ApplyReport(plan: plan, applied: applied, skipped: skipped, backup: backup)
    report.pendingCommands = pending
    return report
  }

  /// The files the apply changes, as the backup records them: each file operation with
  /// the bytes it writes, then the generator's outputs (their bytes recorded once it ran).
  private func backedUp(_ plan: Plan) -> [BackupStore.Planned] {
    plan.changes.flatMap { change in
      change.files.map { BackupStore.Planned(path: $0.path, after: $0.after.map(Array.init), keys: change.keys) }
    } + (plan.regeneration?.outputs ?? []).map { BackupStore.Planned(path: $0, after: nil, keys: [], generated: true) }
  }

  /// The live writes in the order ``steps(_:store:backup:)`` makes them.
  private func liveWrites(_ plan: Plan) -> [BackupStore.Manifest.LiveWrite] {
    plan.changes.filter(\.isChange).flatMap { change in
      change.liveWrites.map { .init(path: $0.path, value: $0.value, keys: change.keys) }
    }
  }

  /// The value of each live file before its first write, as rollback writes it back.
  private func liveBefore(_ plan: Plan) -> [(path: String, value: String)] {
    var result: [(path: String, value: String)] = []
    for write in plan.changes.flatMap(\.liveWrites) where !result.contains(where: { $0.path == write.path }) {
      // A file that lists its choices with the current one in brackets (`always [madvise] never`)
      // takes back only that choice.
      if let text = try? host.value(write.path) {
        result.append((write.path, LiveValueProvider.bracketedChoice(text) ?? text))
      }
    }
    return result
  }

  /// The step that runs `command` on the live host, and on another root reports it pending.
  private func commandStep(_ command: HostCommand) -> Step {
    Step(
      description: "run \(command.shown)",
      skip: runsCommands ? nil : "the root is not /; pending: run `\(command.shown)` on the host itself",
      pending: command
    ) {
      try Self.run(command, in: host)
    }
  }

  /// The steps of `plan`: every operation of its changes, phase by phase (``Operation/Phase``)
  /// and within a phase in the plan's order; the boot loader regenerated once.
  private func steps(_ plan: Plan, store: BackupStore, backup: String) -> [Step] {
    let operations = Operation.Phase.allCases.flatMap { phase in
      plan.pendingChanges.flatMap { change in change.operations.filter { $0.phase == phase } }
    }
    var steps: [Step] = []
    var regenerated = false
    for operation in operations {
      switch operation {
      case .writeFile(let file):
        let verb = file.action == .create ? "create" : file.action == .delete ? "remove" : "write"
        if let command = file.command, command.role == .insteadOfWrite, runsCommands {
          // The distribution's tool writes its own file on the live host (same bytes as planned).
          steps.append(
            Step(description: "run \(command.shown) (\(verb) \(file.path))") { try write(file, by: command) })
          continue
        }
        steps.append(Step(description: "\(verb) \(file.path)") { try write(file) })
        if let command = file.command, command.role == .afterWrite { steps.append(commandStep(command)) }
      case .runAfterFiles(let command), .runAfterLinks(let command):
        steps.append(commandStep(command))
      case .regenerateBootLoader:
        guard !regenerated, let regeneration = plan.regeneration else { continue }
        regenerated = true
        steps.append(regenerationStep(regeneration, written: plan.fileOperations.map(\.path), store, backup))
      case .setLinks(let service, let enabled, let links):
        steps.append(linkStep(service, verb: enabled ? "enable" : "disable", store, backup) { _ in links })
      case .enableInstalled(let service):
        steps.append(
          linkStep(service, verb: "enable", store, backup) { try $0.enablementChanges(service, enabled: true) })
      case .startService(let service):
        steps.append(
          Step(description: "start service \(service)") { try ServiceControl(root: host).carryOut(.start, service) })
      case .stopService(let service):
        steps.append(
          Step(description: "stop service \(service)") { try ServiceControl(root: host).carryOut(.stop, service) })
      case .restartService(let service):
        steps.append(
          Step(
            description: "restart service \(service)",
            skip: host.isLive ? nil : "the root is not /; pending restart: restart \(service) on the host itself"
          ) { try ServiceControl(root: host).carryOut(.restart, service) })
      case .defineDomain(let change):
        switch change.target {
        case .refused(let reason):
          steps.append(Step(description: "define domain \(change.name)", skip: "\(reason); nothing defined") {})
        case .libvirt(let uri):
          steps.append(
            Step(description: "define domain \(change.name) through \(uri)") {
              let before = change.xml.before.map { String(decoding: $0, as: UTF8.self) }
              let written = try DomainSteps.define(change, uri: uri, libvirtConnector)
              try store.record(domain: change.name, uri: uri, in: backup) {
                $0.xmlBefore = before
                $0.xmlWritten = written
              }
            })
        }
      case .changeRunningDomain(let change):
        steps.append(
          Step(description: change.words) {
            try DomainSteps.change(change, libvirtConnector)
            try store.record(domain: change.domain, uri: change.uri, in: backup) { $0.live.append(change) }
          })
      case .writeLive(let write):
        let purpose = write.purpose.map { " (\($0))" } ?? ""
        steps.append(
          Step(description: "write \(write.value) to \(write.path)\(purpose)") {
            try writer.writeLive(write.path, write.value)
          })
      }
    }
    return steps
  }

  /// The step that regenerates the boot loader's configuration after the files `written`.
  private func regenerationStep(_ regeneration: Regeneration, written: [String], _ store: BackupStore, _ backup: String)
    -> Step
  {
    let command = regeneration.command.joined(separator: " ")
    return Step(
      description: "regenerate the boot loader (\(command))",
      skip: runsCommands ? nil : "the root is not /; run `\(command)` on the host itself"
    ) {
      do {
        try Self.regenerate(regeneration, in: host)
        try store.recordWritten(regeneration.outputs, in: backup)
      } catch {
        // The sources are written, the generated files are not: say which is which.
        throw RegenerationError(
          description: "\(error); written: \(written.isEmpty ? "nothing" : written.joined(separator: ", ")); "
            + "not written: \(regeneration.outputs.joined(separator: ", ")) (pending regeneration)")
      }
    }
  }

  /// The step that makes `service`'s enablement links as `links` computes them, recorded in the backup first.
  private func linkStep(
    _ service: String, verb: String, _ store: BackupStore, _ backup: String,
    links: @escaping (ServiceEditor) throws -> [LinkChange]
  ) -> Step {
    Step(description: "\(verb) service \(service)") {
      let editor = try ServiceEditor(root: host)
      let links = try links(editor)
      try store.record(links: links, in: backup)
      let writer = self.writer
      for link in try editor.linksToChange(links) {
        switch link.kind {
        case .create: try writer.createLink(link.path, to: link.target)
        case .remove: try writer.remove(link.path)
        }
      }
    }
  }

  /// Has `command` make the change of `operation` on the live host, first checking that
  /// the file still has the bytes the plan read.
  private func write(_ operation: FileOperation, by command: HostCommand) throws {
    let current = try host.readIfPresent(operation.path)
    guard current.map({ Data($0) }) == operation.before else { throw StaleFile(path: operation.path) }
    try Self.run(command, in: host)
  }

  /// Writes one file, first checking that it still has the bytes the plan read; an
  /// existing file keeps its mode, owner, group, ACL and other extended attributes.
  private func write(_ operation: FileOperation) throws {
    let current = try host.readIfPresent(operation.path)
    guard current.map({ Data($0) }) == operation.before else { throw StaleFile(path: operation.path) }
    // What an apply killed while writing this file left, so that no temporary outlives an apply.
    try writer.removeTemporaries(of: operation.path)
    if let after = operation.after {
      try writer.replace(operation.path, with: Array(after), mode: UInt32(operation.mode))
    } else {
      try writer.remove(operation.path)
    }
  }
}

/// A file that changed between the plan and its write: nothing is written to it.
struct StaleFile: Error, CustomStringConvertible {
  /// The file, from the root.
  var path: String
  var description: String { "\(path): changed since it was planned; nothing written to it" }
}
