/**
 * Uploads in progress, one at a time in the order they were dropped or picked, each with its progress and its
 * outcome, for the file browser to show. Kept apart from components so its order and error handling are plain
 * logic.
 */
import { createStore, produce } from 'solid-js/store';
import { uploadFile } from '../../api/files.ts';

export interface UploadItem {
  id: number;
  /** Workspace path the file goes to. */
  path: string;
  sent: number;
  total: number;
  status: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: string;
}

export interface UploadQueue {
  readonly items: UploadItem[];
  /** Queues files for `folder`; resolves with the paths that arrived once all of them are done. */
  add(folder: string, files: File[]): Promise<string[]>;
  /** Forgets finished uploads (done or failed). */
  clearFinished(): void;
}

export function joinPath(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

export function createUploadQueue(upload: typeof uploadFile = uploadFile): UploadQueue {
  const [state, setState] = createStore<{ items: UploadItem[] }>({ items: [] });
  let nextId = 0;
  let chain: Promise<unknown> = Promise.resolve();

  const update = (id: number, change: Partial<UploadItem>) =>
    setState(
      'items',
      (item) => item.id === id,
      produce((item) => Object.assign(item, change)),
    );

  const run = async (id: number, path: string, file: File): Promise<boolean> => {
    update(id, { status: 'uploading' });
    try {
      await upload(path, file, (sent, total) => update(id, { sent, total }));
      update(id, { status: 'done', sent: file.size, total: file.size });
      return true;
    } catch (error) {
      update(id, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  };

  return {
    get items() {
      return state.items;
    },
    add(folder, files) {
      const jobs = files.map((file) => ({ id: nextId++, path: joinPath(folder, file.name), file }));
      setState('items', (items) => [...items, ...jobs.map(({ id, path, file }): UploadItem => ({ id, path, sent: 0, total: file.size, status: 'waiting' }))]);
      const done = chain.then(async () => {
        const arrived: string[] = [];
        for (const job of jobs) if (await run(job.id, job.path, job.file)) arrived.push(job.path);
        return arrived;
      });
      chain = done.catch(() => undefined);
      return done;
    },
    clearFinished() {
      setState('items', (items) => items.filter((item) => item.status === 'waiting' || item.status === 'uploading'));
    },
  };
}
