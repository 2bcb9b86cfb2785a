import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * The Cellmate server (`npm start`) serves the API here; the dev server forwards /api to it, sockets included.
 * `CELLMATE_DEV_API` points it elsewhere (a server on another port).
 */
const API_TARGET = process.env.CELLMATE_DEV_API ?? 'http://127.0.0.1:8765';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs, so one build serves any base path (CELLMATE_BASE_PATH, a hub's /user/<name>/): chunks
  // and stylesheets find each other relative to themselves, and the server writes the base into index.html's
  // own links as it serves it (deep links such as /notebooks/a/b.ipynb get the same page).
  base: './',
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // vega is loaded lazily in its own chunk and is large by nature; the main bundle is what must stay small.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      // The server checks Origin on WebSocket upgrades: present the proxied socket as coming from the API origin.
      '/api': { target: API_TARGET, ws: true, changeOrigin: true, rewriteWsOrigin: true },
    },
  },
});
