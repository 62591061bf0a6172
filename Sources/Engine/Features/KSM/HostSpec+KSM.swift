import KSMConfig

extension HostSpec {
  /// Which tuner runs with KSM.
  public enum Tuner: String, Sendable, CaseIterable {
    /// The project's `virthost-ksmtuned` daemon, installed by the plan.
    case bundled
    /// The distribution's `ksmtuned` service.
    case system
    /// No tuner: KSM alone runs with the kernel's settings.
    case none
  }

  /// The `ksm:` block.
  public struct KSM: Sendable, Equatable {
    /// `true`: KSM and its tuner enabled at boot (and running on a live host);
    /// `false`: both off and disabled; `nil`: unmanaged.
    public var enabled: Bool?
    /// The tuner that goes with KSM.
    public var tuner: Tuner = .system
    /// The desired `/sys/kernel/mm/ksm/merge_across_nodes`, or `nil` when unmanaged.
    public var mergeAcrossNodes: Bool?
    /// `/etc/ksmtuned.conf` settings, in file order, each checked by its value rule.
    public var settings: [KSMSetting] = []

    /// Creates a KSM block.
    public init(
      enabled: Bool? = nil, tuner: Tuner = .system, mergeAcrossNodes: Bool? = nil, settings: [KSMSetting] = []
    ) {
      self.enabled = enabled
      self.tuner = tuner
      self.mergeAcrossNodes = mergeAcrossNodes
      self.settings = settings
    }
  }

  /// One `ksm.settings` pair: a ksmtuned.conf setting and what the file should say of it.
  public struct KSMSetting: Sendable, Equatable {
    /// The setting (`KSM_NPAGES_MAX`).
    public var setting: KsmtunedSetting
    /// A value its rule accepts, or no assignment (`null`, or `DEBUG: false`).
    public var value: KsmtunedDesiredValue

    /// Creates a pair.
    public init(_ setting: KsmtunedSetting, _ value: KsmtunedDesiredValue) {
      self.setting = setting
      self.value = value
    }

    /// Creates a pair that assigns `value`.
    public init(_ setting: KsmtunedSetting, _ value: String) {
      self.init(setting, .set(value))
    }
  }

  /// `ksm:`, or `nil` when absent.
  public var ksm: KSM? {
    get { section("ksm") }
    set { sections["ksm"] = newValue }
  }
}

extension HostSpec.KSM: FeatureSection {}
