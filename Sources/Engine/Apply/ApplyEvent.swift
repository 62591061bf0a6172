import Editors

/// Progress of an apply or rollback, one step at a time, for the command line to show.
public struct ApplyEvent: Sendable, Equatable {
  /// What became of a step.
  public enum Outcome: Sendable, Equatable {
    /// The step begins.
    case started
    /// The step is done.
    case done
    /// The step was not run, and why (`the root is not /`).
    case skipped(String)
    /// The step failed, and why; nothing after it runs.
    case failed(String)
  }

  /// The step, in words: `write /etc/ksmtuned.conf`, `enable service ksm`.
  public var step: String
  /// What became of it.
  public var outcome: Outcome

  /// Creates an event.
  public init(step: String, outcome: Outcome) {
    self.step = step
    self.outcome = outcome
  }
}

/// What an apply did.
public struct ApplyReport: Sendable {
  /// The plan applied (planned again under the lock).
  public var plan: Plan
  /// The steps done, in order.
  public var applied: [String]
  /// Steps not run, with why (a regeneration on a root that is not `/`).
  public var skipped: [String]
  /// The backup made, `nil` when nothing changed.
  public var backup: String?
  /// The live-host commands of the files written that an apply to another root left to the
  /// host (`proxmox-boot-tool refresh`): pending until the host runs them.
  public var pendingCommands: [HostCommand] = []

  /// The regeneration an offline apply left to the host: the files are written, the
  /// generated configuration is stale until the host runs it ("pending regeneration").
  /// `nil` when nothing is pending.
  public var pendingRegeneration: Regeneration? = nil
  /// What went wrong after the apply succeeded (the reboot-required signal not updated).
  public var warnings: [String] = []
  /// The plan made after the apply (what the host is now), when the apply made one.
  public var after: Plan? = nil
}

/// What a rollback did.
public struct RollbackReport: Sendable {
  /// The backup restored.
  public var backup: String
  /// The steps done, in order.
  public var restored: [String]
  /// What only the host itself can run after an offline rollback (the initramfs tool).
  public var pendingCommands: [HostCommand] = []
  /// What the admin should know about the backup (an earlier format, not authenticated).
  public var warnings: [String] = []
  /// The files not rolled back because they changed since the apply (format 2), each with
  /// the diff from what the apply wrote.
  public var refused: [Refusal] = []
  /// The desired keys whose files and live values were held back with them.
  public var heldBackKeys: [String] = []
  /// The boot-loader regeneration that only the host itself can run (another root).
  public var pendingRegeneration: Regeneration? = nil

  /// One file or live value not rolled back.
  public struct Refusal: Sendable, Equatable {
    /// The path from the root.
    public var path: String
    /// The unified diff from what the apply wrote to what is there now.
    public var detail: String
  }
}
