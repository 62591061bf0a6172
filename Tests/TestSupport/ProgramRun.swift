import Foundation

/// One run of a built program (`virthost`, `virthost-ksmtuned`) as a real process:
/// its exit status and everything it printed.
public struct ProgramRun: Sendable {
  /// The exit status, or 128 + the signal that ended it.
  public var status: Int32
  /// Standard output.
  public var output: String
  /// Standard error.
  public var error: String

  /// The folder of the built products, beside the test bundle.
  public static let products: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent()

  /// The built `virthost`.
  public static let virthost = products.appendingPathComponent("virthost").path

  /// The built `virthost-ksmtuned`.
  public static let daemon = products.appendingPathComponent("virthost-ksmtuned").path

  /// Starts `program` with `arguments` in `directory`, its output to the files under `capture`.
  public static func start(
    _ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil,
    capture: String
  ) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    _ = FileManager.default.createFile(atPath: capture + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: capture + ".err", contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: capture + ".out"))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: capture + ".err"))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Waits for a process from ``start(_:_:in:capture:)`` and collects what it printed.
  public static func finish(_ process: Process, capture: String) -> ProgramRun {
    process.waitUntilExit()
    let status =
      process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    func text(_ suffix: String) -> String {
      let data = FileManager.default.contents(atPath: capture + suffix) ?? Data()
      try? FileManager.default.removeItem(atPath: capture + suffix)
      return String(decoding: data, as: UTF8.self)
    }
    return ProgramRun(status: status, output: text(".out"), error: text(".err"))
  }

  /// Runs `virthost` with `arguments` in `directory` to its end.
  public static func virthost(_ arguments: [String], in directory: String? = nil) throws -> ProgramRun {
    try RunningProgram(virthost, arguments, in: directory).finish()
  }

  /// Runs `program` with `arguments` (in `directory`) to its end: the one way tests run a
  /// program and wait for it (`cp -a`, `patch`, `ansible-playbook`, `virthost`).
  public static func run(
    _ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil
  ) throws -> ProgramRun {
    try RunningProgram(program, arguments, in: directory, environment: environment).finish()
  }

  /// Output and error together, for messages in failed assertions.
  public var transcript: String { "status \(status)\n--- stdout\n\(output)--- stderr\n\(error)" }
}

/// A program started with its output captured to temporary files, to be killed or awaited.
public final class RunningProgram {
  /// The running process.
  public let process: Process
  private let capture = NSTemporaryDirectory() + "virthost-run-\(UUID().uuidString)"

  /// Starts `program` with `arguments`, optionally in `directory`.
  public init(
    _ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil
  ) throws {
    process = try ProgramRun.start(program, arguments, in: directory, environment: environment, capture: capture)
  }

  /// Waits for the end and returns what it printed.
  public func finish() -> ProgramRun { ProgramRun.finish(process, capture: capture) }
}
