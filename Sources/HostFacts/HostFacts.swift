// The HostFacts target; see README.md, Architecture.
