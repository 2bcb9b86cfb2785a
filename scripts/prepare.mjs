#!/usr/bin/env node
// Brings a fresh clone to a runnable state, doing only what is missing: npm packages, the Python kernel stack
// (kernels/setup.sh), the browser for tests, and the built UI. Plain Node on purpose: it runs before
// `node_modules` exists. `npm start` and `npm test` both call it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));

function say(message) {
  process.stderr.write(`cellmate: ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    say(`\`${[command, ...args].join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** npm packages: `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/** The Python kernel stack, through kernels/setup.sh (apt on Debian, a venv elsewhere). */
export function ensurePython() {
  run('bash', [join(root, 'kernels', 'setup.sh')]);
}

/** Chromium for the browser tests: Debian's package, never a downloaded build. */
export function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    say('browser tests need Debian\'s chromium at /usr/bin/chromium: run `sudo apt-get install chromium`.');
    process.exit(1);
  }
  say('installing chromium (apt)…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** JupyterHub (with its configurable-http-proxy) for the test of Cellmate as a hub's single-user server: Debian's. */
export function ensureJupyterHub() {
  if (existsSync('/usr/bin/jupyterhub') && existsSync('/usr/bin/configurable-http-proxy')) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    say('the JupyterHub test needs Debian\'s jupyterhub: run `sudo apt-get install jupyterhub`.');
    process.exit(1);
  }
  say('installing jupyterhub (apt)…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'jupyterhub'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** The UI bundle in web/dist, rebuilt when any source under web/ or server/protocol/ is newer. */
export function ensureWebBuild() {
  const built = join(root, 'web', 'dist', 'index.html');
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'server/protocol'].map((p) => join(root, p)).filter(existsSync);
  const newestSource = Math.max(...sources.map(newestMtime));
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
  say('building the UI (vite build)…');
  run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error']);
}

export function prepare({ forTests = false } = {}) {
  ensureNodeModules();
  ensurePython();
  if (forTests) {
    ensureChromium();
    ensureJupyterHub();
  }
  ensureWebBuild();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  prepare({ forTests: process.argv.includes('--for-tests') });
}
