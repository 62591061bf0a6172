// The Engine target; see README.md, Architecture.
