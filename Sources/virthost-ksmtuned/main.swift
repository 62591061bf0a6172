import KSMTuner

#if canImport(Glibc)
  import Glibc
#endif

exit(DaemonMain.run(CommandLine.arguments))
