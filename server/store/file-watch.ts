/**
 * Notices that a file may have changed, from any writer. The folder is watched rather than the file: writers
 * that save atomically (Cellmate, JupyterLab, git) replace the file's inode, and a watch on the old inode would
 * go quiet after the first such save. Events only say "look again": the caller compares versions, so a missed
 * or spurious event costs nothing but a check (and the save-time version check catches what a watch misses).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface WatchOptions {
  /** Events come in bursts (temp file, rename, attribute change): wait this long for the burst to end. */
  debounceMs?: number;
}

/**
 * Calls `onChange` (debounced) after something touches the file at `path` (an absolute, real path); returns
 * the function that stops watching. Where watching is impossible (the folder is gone, no inotify watches left)
 * it watches nothing and says so through `onError`.
 *
 * @example
 *   const stop = watchFile('/ws/a.ipynb', () => void session.checkDisk());
 */
export function watchFile(path: string, onChange: () => void, onError: (error: unknown) => void, options: WatchOptions = {}): () => void {
  const name = basename(path);
  const debounceMs = options.debounceMs ?? 75;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  try {
    // persistent: false — a watch must never keep the process alive on its own.
    watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      // Some platforms don't name the file; then every event in the folder is worth a look.
      if (filename === null || filename.toString() === name) fire();
    });
    watcher.on('error', (error) => {
      watcher?.close();
      onError(error);
    });
  } catch (error) {
    onError(error);
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
