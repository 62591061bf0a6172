import Engine
import Foundation
import TestSupport

/// What a plan of the seed example will write, read from `virthost plan --format json`:
/// each file's digest before and after, and each enablement link.
struct PlannedFiles {
  /// A file the plan writes: its path from the root and its digests.
  struct File {
    var path: String
    var before: Digest
    var after: Digest
  }

  /// A link the plan creates or removes.
  struct Link {
    var create: Bool
    var path: String
    var target: String
  }

  var files: [File] = []
  var links: [Link] = []

  /// Plans `spec` on `root` with the built `virthost` and reads the document.
  init(spec: String, root: String) throws {
    let run = try ProgramRun.virthost(["plan", spec, "--root", root, "--format", "json"])
    guard run.status == 0 else {
      throw CocoaError(.fileReadCorruptFile, userInfo: [NSDebugDescriptionErrorKey: run.transcript])
    }
    let document = try PlanDocument.decode(Data(run.output.utf8), file: "the plan of \(spec)")
    for operation in document.changes.flatMap(\.operations) {
      if operation.kind == .writeFile, let path = operation.path, let before = operation.beforeDigest,
        let after = operation.afterDigest
      {
        files.append(File(path: path, before: before, after: after))
      }
      links += (operation.links ?? []).map { Link(create: $0.kind == "create", path: $0.path, target: $0.target) }
    }
  }

  /// How many files and links the plan changes.
  var count: Int { files.count + links.count }

  /// Every path the plan may change, files and links.
  var paths: Set<String> { Set(files.map(\.path) + links.map(\.path)) }

  /// The problems of `root` left between the old and the new state: a file that is
  /// neither its planned before nor after bytes, a link that is neither absent nor right,
  /// any other entry changed from `pristine` (the engine's own `/var/lib/virthost` and
  /// the writer's temporary files aside). Also counts how many planned files and links are new.
  func check(root: String, pristine: [String: String], snapshot: [String: String]) -> (
    problems: [String], newFiles: Int
  ) {
    var problems: [String] = []
    var newFiles = 0
    for file in files {
      let digest = Digest.of(FileManager.default.contents(atPath: root + file.path))
      if digest == file.after && digest != file.before {
        newFiles += 1
      } else if digest != file.before {
        problems.append("\(file.path) is neither the old nor the new version (\(digest))")
      }
    }
    for link in links {
      let target = try? FileManager.default.destinationOfSymbolicLink(atPath: root + link.path)
      let exists = (try? FileManager.default.attributesOfItem(atPath: root + link.path)) != nil
      if exists && target != link.target {
        problems.append("\(link.path) is not a link to \(link.target)")
      } else if exists == link.create {
        newFiles += 1
      }
    }
    let changeable = Set(paths.map { String($0.dropFirst()) })
    for key in Set(pristine.keys).union(snapshot.keys)
    where pristine[key] != snapshot[key] && !changeable.contains(key) && key != "var/lib"
      && !key.hasPrefix("var/lib/virthost")
      && !FixtureRoot.isTemporary(key)
    {
      problems.append("\(key) changed: \(pristine[key] ?? "absent") → \(snapshot[key]?.prefix(60) ?? "absent")")
    }
    return (problems, newFiles)
  }
}
