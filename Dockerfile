FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-ipykernel jupyter-server python3-jupyter-server \
      python3-pandas python3-matplotlib python3-numpy python3-altair python3-nbformat bubblewrap \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && mkdir -p /workspace && chown node:node /workspace
USER node
ENV CELLMATE_PYTHON=/usr/bin/python3
EXPOSE 8765
CMD ["node", "scripts/start.mjs"]
