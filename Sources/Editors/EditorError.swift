import HostConfig

/// An error an editor reports for bad input or a file it cannot handle, with the file,
/// the position and what is wrong: the readers' ``ConfigFileError``, one type for both
/// layers, so a reader's error reaches the user unchanged.
///
/// Editors throw it before anything is planned: when it is thrown, no change was made.
public typealias EditorError = ConfigFileError
