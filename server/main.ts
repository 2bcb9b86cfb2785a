/**
 * `npm start`: reads the settings, starts Cellmate, prints the URL, and stops everything it started on
 * SIGINT/SIGTERM (the embedded Jupyter Server also dies by itself if this process is killed outright). Under
 * JupyterHub the spawner runs the same script (`node scripts/start.mjs`): the hub's environment makes it the
 * user's single-user server (config.ts, server/hub/), and the spawner stops it with SIGINT or SIGTERM.
 * `--port N` / `--ip A` (as a spawner's `c.Spawner.args = ['--port={port}']`) stand for CELLMATE_PORT / CELLMATE_HOST.
 */
import { loadConfig } from './config.ts';
import { startCellmate } from './server.ts';

// @jupyterlab/services reports every kernel connection through console.debug ("Starting WebSocket: …"); that is
// noise in a terminal unless someone is debugging.
if (!process.env.CELLMATE_DEBUG) console.debug = () => {};

/** `--port N`, `--port=N`, `--ip A`, `--ip=A` as the settings they stand for; other arguments are refused. */
function argumentSettings(args: string[]): Record<string, string> {
  const names: Record<string, string> = { '--port': 'CELLMATE_PORT', '--ip': 'CELLMATE_HOST' };
  const settings: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const [flag = '', inline] = (args[i] ?? '').split(/=(.*)/s, 2);
    const name = names[flag];
    const value = inline ?? args[++i];
    if (!name || value === undefined) throw new Error(`unknown argument ${JSON.stringify(args[i] ?? flag)} (known: --port N, --ip ADDRESS)`);
    settings[name] = value;
  }
  return settings;
}

try {
  const config = loadConfig({ ...process.env, ...argumentSettings(process.argv.slice(2)) });
  const cellmate = await startCellmate(config);
  if (config.hub) process.stdout.write(`\nCellmate is running as ${config.hub.user || 'a user'}'s JupyterHub server at ${cellmate.openUrl}\nWorkspace: ${config.workspace}\n`);
  else process.stdout.write(`\nCellmate is running. Open:\n\n  ${cellmate.openUrl}\n\nWorkspace: ${config.workspace}\n`);

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
