// The Editors target; see README.md, Architecture.
