export { parseNotebook, serializeNotebook, type ParsedNotebook } from './serializer.ts';
export {
  Workspace,
  type FileEntry,
  type NotebookInfo,
  type PathInfo,
  type ReadNotebookResult,
  type WriteNotebookOptions,
  type WrittenNotebook,
} from './storage.ts';
export { WorkspaceFiles, formatBytes, type FileKind, type FileListing, type OpenedFile, type UploadOptions, type Uploaded } from './workspace-files.ts';
export { Autosaver, type AutosaverOptions } from './autosave.ts';
export { readVersion, type FileVersion } from './file-version.ts';
export { watchFile, type WatchOptions } from './file-watch.ts';
