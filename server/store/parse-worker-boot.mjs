// Entry of the notebook parser's worker thread (parse-off-thread.ts). A worker does not inherit the main
// thread's loader, so it registers tsx itself, as `npm start` does, and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
