# Cellmate: the Node server and its UI. Multi-stage: the UI is built with the dev dependencies, the image that
# runs has production dependencies only, and runs as the unprivileged `node` user (uid 1000).
#   docker build -t cellmate .
# Alone (`docker run -e CELLMATE_TOKEN=… -p 127.0.0.1:8765:8765 cellmate`) it starts its own Jupyter Server from
# the Debian Python stack below; with docker-compose.yml its kernels run in the kernel service instead
# (JUPYTER_URL). See docs/deploy.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY web ./web
COPY server ./server
RUN npm run build

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-ipykernel jupyter-server python3-jupyter-server \
      python3-pandas python3-matplotlib python3-numpy python3-altair python3-nbformat bubblewrap \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY server ./server
COPY kernels ./kernels
COPY scripts ./scripts
COPY --from=build /app/web/dist ./web/dist
# `.cellmate/` private to Cellmate (docker-compose.yml mounts a volume of its own there; a new volume copies this).
RUN mkdir -p /workspace/.cellmate && chown -R node:node /workspace && chmod 700 /workspace/.cellmate
USER node
ENV NODE_ENV=production \
    CELLMATE_HOST=0.0.0.0 \
    CELLMATE_PORT=8765 \
    CELLMATE_WORKSPACE=/workspace \
    CELLMATE_PYTHON=/usr/bin/python3
EXPOSE 8765
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8765/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Straight to the server (`npm start` would first check for missing packages and a stale UI build, which the
# image already settled). tsx, a production dependency, runs the TypeScript (found from /app, the working folder).
CMD ["node", "--import", "tsx", "server/main.ts"]
