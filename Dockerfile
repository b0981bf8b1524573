# syntax=docker/dockerfile:1
# eql-stream worker image: `docker build -t eql-stream .`
# Runs as uid 10001 with a read-only root filesystem (only /tmp needs to be writable).

ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only, without install scripts (none is needed at run time).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# Compile TypeScript to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and not writable by the worker's user.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The bundled rules: the loader finds them beside dist/ (package layout).
COPY src/rules/bundled ./src/rules/bundled
USER 10001:10001
EXPOSE 9464
# Exec form: node is PID 1 and receives SIGTERM itself; `run` handles SIGTERM and
# SIGINT (finish the batch, produce, commit, leave the group) and spawns no children.
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["run"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.EQL_STREAM_METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
