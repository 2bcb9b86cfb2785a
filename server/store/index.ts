export { parseNotebook, serializeNotebook, type ParsedNotebook } from './serializer.ts';
export { Workspace, type FileEntry, type NotebookInfo, type PathInfo, type ReadNotebookResult } from './storage.ts';
export { Autosaver, type AutosaverOptions } from './autosave.ts';
