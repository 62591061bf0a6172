import Editors
import RootFS

extension PlanContext {
  /// The root being planned, through the root layer (engineer B's stand-in: the lead replaces
  /// it with the context's own root at the merge of issue 14).
  func editorRoot() throws(EditorError) -> HostRoot {
    do {
      return try HostRoot(rootPath)
    } catch {
      throw EditorError(reading: error)
    }
  }
}
