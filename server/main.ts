/**
 * `npm start`: reads the settings, starts Cellmate, prints the URL, and stops everything it started on
 * SIGINT/SIGTERM (the embedded Jupyter Server also dies by itself if this process is killed outright).
 */
import { loadConfig } from './config.ts';
import { startCellmate } from './server.ts';

// @jupyterlab/services reports every kernel connection through console.debug ("Starting WebSocket: …"); that is
// noise in a terminal unless someone is debugging.
if (!process.env.CELLMATE_DEBUG) console.debug = () => {};

try {
  const config = loadConfig();
  const cellmate = await startCellmate(config);
  process.stdout.write(`\nCellmate is running. Open:\n\n  ${cellmate.openUrl}\n\nWorkspace: ${config.workspace}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cellmate: ${signal}, saving and stopping…\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    cellmate.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`cellmate: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
