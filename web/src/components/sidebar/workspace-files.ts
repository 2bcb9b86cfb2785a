/**
 * The notebook page's view of the workspace's files, shared by the sidebar's Files panel and the page-wide drop
 * target: the folder shown (the notebook's own folder at first), its listing, and the uploads in progress.
 * Files dropped anywhere on the page go to the folder shown, so what the panel shows is where they land.
 */
import { createContext, createResource, createSignal, useContext, type Accessor, type Resource } from 'solid-js';
import { listFolder, type FileListing } from '../../api/files.ts';
import { createUploadQueue, type UploadQueue } from '../files/upload-queue.ts';
import { folderOf } from './relative-path.ts';

export interface WorkspaceFiles {
  /** The notebook's folder: paths inserted into cells are relative to it (the kernel's working directory). */
  notebookFolder: Accessor<string>;
  folder: Accessor<string>;
  setFolder(folder: string): void;
  entries: Resource<FileListing[]>;
  refresh(): Promise<void>;
  uploads: UploadQueue;
  /** Uploads into the folder shown, then lists it again; resolves with the paths that arrived. */
  upload(files: File[]): Promise<string[]>;
  /** Uploads, or first asks (through `replacing`) when a file of the same name is already there. */
  request(files: File[]): void;
  /** Files waiting for the person to confirm that they replace the ones named `names`. */
  replacing: Accessor<{ files: File[]; names: string[] } | null>;
  /** Answers the question: uploads the files waiting, or forgets them. */
  confirmReplace(isConfirmed: boolean): void;
}

export function createWorkspaceFiles(notebookPath: Accessor<string>): WorkspaceFiles {
  const [folder, setFolder] = createSignal(folderOf(notebookPath()));
  const [entries, { refetch }] = createResource(folder, listFolder);
  const uploads = createUploadQueue();
  const [replacing, setReplacing] = createSignal<{ files: File[]; names: string[] } | null>(null);
  const refresh = async () => {
    await refetch();
  };
  const upload = async (files: File[]) => {
    const arrived = await uploads.add(folder(), files);
    await refresh();
    return arrived;
  };
  return {
    notebookFolder: () => folderOf(notebookPath()),
    folder,
    setFolder,
    entries,
    refresh,
    uploads,
    upload,
    request(files) {
      const taken = new Set((entries.latest ?? []).map((entry) => entry.name));
      const names = files.filter((file) => taken.has(file.name)).map((file) => file.name);
      if (names.length === 0) void upload(files);
      else setReplacing({ files, names });
    },
    replacing,
    confirmReplace(isConfirmed) {
      const waiting = replacing();
      setReplacing(null);
      if (isConfirmed && waiting) void upload(waiting.files);
    },
  };
}

export const WorkspaceFilesContext = createContext<WorkspaceFiles>();

export function useWorkspaceFiles(): WorkspaceFiles {
  const files = useContext(WorkspaceFilesContext);
  if (!files) throw new Error('useWorkspaceFiles: outside WorkspaceFilesContext');
  return files;
}
