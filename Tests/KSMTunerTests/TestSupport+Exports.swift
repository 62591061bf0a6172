// The daemon tests' helpers (ChildProcess, eventually, contents, meminfoText…) live in
// TestSupport, shared with ReliabilityTests; every file of this target sees them.
@_exported import TestSupport
