/// A domain's current job as libvirt reports it (`virDomainGetJobStats`): a migration, a save,
/// a dump, a snapshot… that a restart of the daemon would interrupt.
public struct LibvirtJob: Sendable, Equatable {
  /// Whether the job's end is known (`virDomainJobType`).
  public enum Progress: Sendable, Equatable {
    case none, bounded, unbounded
    case other(Int32)

    static let allKnown: [Progress] = [.none, .bounded, .unbounded]
    init(code: Int32) { self = Self.allKnown.first { $0.code == code } ?? .other(code) }
    var code: Int32 {
      switch self {
      case .none: 0
      case .bounded: 1
      case .unbounded: 2
      case .other(let code): code
      }
    }
    var cName: String {
      switch self {
      case .none: "NONE"
      case .bounded: "BOUNDED"
      case .unbounded: "UNBOUNDED"
      case .other(let code): "\(code)"
      }
    }
  }

  /// What the job does (`virDomainJobOperation`).
  public enum Operation: Sendable, Equatable {
    case unknown, start, save, restore, migrationIn, migrationOut, snapshot, snapshotRevert, dump, backup
    case snapshotDelete
    /// A number this layer does not know.
    case other(Int32)

    static let allKnown: [Operation] = [
      .unknown, .start, .save, .restore, .migrationIn, .migrationOut, .snapshot, .snapshotRevert, .dump, .backup,
      .snapshotDelete,
    ]
    init(code: Int32) { self = Self.allKnown.first { $0.code == code } ?? .other(code) }
    var code: Int32 {
      switch self {
      case .unknown: 0
      case .start: 1
      case .save: 2
      case .restore: 3
      case .migrationIn: 4
      case .migrationOut: 5
      case .snapshot: 6
      case .snapshotRevert: 7
      case .dump: 8
      case .backup: 9
      case .snapshotDelete: 10
      case .other(let code): code
      }
    }
    var cName: String {
      switch self {
      case .unknown: "UNKNOWN"
      case .start: "START"
      case .save: "SAVE"
      case .restore: "RESTORE"
      case .migrationIn: "MIGRATION_IN"
      case .migrationOut: "MIGRATION_OUT"
      case .snapshot: "SNAPSHOT"
      case .snapshotRevert: "SNAPSHOT_REVERT"
      case .dump: "DUMP"
      case .backup: "BACKUP"
      case .snapshotDelete: "SNAPSHOT_DELETE"
      case .other(let code): "\(code)"
      }
    }

    /// In words, for messages: `outgoing migration`, `save`, `memory dump`.
    public var words: String {
      switch self {
      case .unknown: "job"
      case .start: "start"
      case .save: "save"
      case .restore: "restore"
      case .migrationIn: "incoming migration"
      case .migrationOut: "outgoing migration"
      case .snapshot: "snapshot"
      case .snapshotRevert: "snapshot revert"
      case .dump: "memory dump"
      case .backup: "backup"
      case .snapshotDelete: "snapshot deletion"
      case .other(let code): "job \(code)"
      }
    }
  }

  /// Whether its end is known.
  public var progress: Progress
  /// What it does; `.unknown` when libvirt does not say.
  public var operation: Operation
  /// How long it has run, in milliseconds, when libvirt says.
  public var elapsedMilliseconds: UInt64?

  /// A job value (for fixtures of the callers' protocols, too).
  public init(progress: Progress, operation: Operation, elapsedMilliseconds: UInt64? = nil) {
    self.progress = progress
    self.operation = operation
    self.elapsedMilliseconds = elapsedMilliseconds
  }
}

/// A block job on one of a domain's disks (`virDomainGetBlockJobInfo`): a copy, a commit, a pull.
public struct LibvirtBlockJob: Sendable, Equatable {
  /// Its kind (`virDomainBlockJobType`).
  public enum Kind: Sendable, Equatable {
    case unknown, pull, copy, commit, activeCommit, backup
    case other(Int32)

    static let allKnown: [Kind] = [.unknown, .pull, .copy, .commit, .activeCommit, .backup]
    init(code: Int32) { self = Self.allKnown.first { $0.code == code } ?? .other(code) }
    var code: Int32 {
      switch self {
      case .unknown: 0
      case .pull: 1
      case .copy: 2
      case .commit: 3
      case .activeCommit: 4
      case .backup: 5
      case .other(let code): code
      }
    }
    var cName: String {
      switch self {
      case .unknown: "UNKNOWN"
      case .pull: "PULL"
      case .copy: "COPY"
      case .commit: "COMMIT"
      case .activeCommit: "ACTIVE_COMMIT"
      case .backup: "BACKUP"
      case .other(let code): "\(code)"
      }
    }

    /// In words, for messages: `block copy`.
    public var words: String {
      switch self {
      case .unknown: "block job"
      case .pull: "block pull"
      case .copy: "block copy"
      case .commit: "block commit"
      case .activeCommit: "active block commit"
      case .backup: "backup"
      case .other(let code): "block job \(code)"
      }
    }
  }

  /// The disk's target (`vda`) or source path, as given.
  public var disk: String
  /// The kind.
  public var kind: Kind
  /// Progress: `current` of `end` (units of the job's own).
  public var current: UInt64
  /// See ``current``.
  public var end: UInt64

  /// A block job value (for fixtures of the callers' protocols, too).
  public init(disk: String, kind: Kind, current: UInt64 = 0, end: UInt64 = 0) {
    self.disk = disk
    self.kind = kind
    self.current = current
    self.end = end
  }
}

extension LibvirtDomain {
  /// The domain's current job, or `nil` when none runs.
  ///
  /// The corresponding libvirt function is `virDomainGetJobStats` (its `operation` and
  /// `time_elapsed` fields).
  /// - Throws: `.noSupport` from a driver without jobs (the test driver).
  public func job() throws(LibvirtError) -> LibvirtJob? {
    try withHandle { (handle) throws(LibvirtError) -> LibvirtJob? in
      var type: Int32 = 0
      var params: UnsafeMutableRawPointer? = nil
      var count: Int32 = 0
      if library.domainGetJobStats(handle, &type, &params, &count, 0) < 0 {
        throw library.lastError("virDomainGetJobStats", subject: name)
      }
      defer { library.typedParamsFree(params, count) }
      let progress = LibvirtJob.Progress(code: type)
      guard progress != .none else { return nil }
      var job = LibvirtJob(progress: progress, operation: .unknown)
      guard let params else { return job }
      let layout = LibvirtABI.TypedParameterLayout.self
      for index in 0..<Int(count) {
        let param = params + index * layout.size
        let field = String(
          decoding: UnsafeRawBufferPointer(start: param, count: layout.fieldLength).prefix { $0 != 0 }, as: UTF8.self)
        let kind = param.load(fromByteOffset: layout.type, as: Int32.self)
        if field == LibvirtABI.jobOperationField && kind == LibvirtABI.typedParamInt {
          job.operation = .init(code: param.load(fromByteOffset: layout.value, as: Int32.self))
        } else if field == LibvirtABI.jobTimeElapsedField && kind == LibvirtABI.typedParamULLong {
          job.elapsedMilliseconds = param.load(fromByteOffset: layout.value, as: UInt64.self)
        }
      }
      return job
    }
  }

  /// The block job on `disk` (a target such as `vda`, or a source path), or `nil` when none.
  ///
  /// The corresponding libvirt function is `virDomainGetBlockJobInfo`.
  /// - Throws: `.noSupport` from a driver without block jobs (the test driver).
  public func blockJob(disk: String) throws(LibvirtError) -> LibvirtBlockJob? {
    try withHandle { (handle) throws(LibvirtError) -> LibvirtBlockJob? in
      var info = LibvirtABI.BlockJobInfo()
      let result = withUnsafeMutableBytes(of: &info) { library.domainGetBlockJobInfo(handle, disk, $0.baseAddress!, 0) }
      if result < 0 { throw library.lastError("virDomainGetBlockJobInfo", subject: "\(name) \(disk)") }
      guard result == 1 else { return nil }
      return LibvirtBlockJob(disk: disk, kind: .init(code: info.type), current: info.cur, end: info.end)
    }
  }
}
