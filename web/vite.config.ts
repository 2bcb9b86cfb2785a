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
  // Absolute asset URLs: index.html is also served for deep links such as /notebooks/a/b.ipynb.
  base: '/',
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
