# trackstar-sandbox image: `docker build -t trackstar-sandbox:0.1.0 -t trackstar-sandbox .` then `docker run -p 3000:3000 trackstar-sandbox`.
# Both stages share one base so the better-sqlite3 addon compiled in `build` runs unchanged in the runtime stage.

FROM node:20-bookworm-slim AS build
# The addon is compiled from source: no prebuilt binary is downloaded (none may be reachable, and it pins glibc).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# JOBS=max: node-gyp compiles SQLite on every core; build_from_source: prebuild-install skips the download attempt.
ENV JOBS=max npm_config_build_from_source=true
COPY package.json package-lock.json ./
# --ignore-scripts keeps `prepare` (tsc, sources not copied yet) and devDependency install scripts out of this
# cached layer; only better-sqlite3's own install script is run, by `npm rebuild`.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
# Of the compiled addon only the .node file is loaded; SQLite sources and object files are ~30 MB of leftovers.
# The server runs dist/bin/server.js -> runtime.cjs (which loads client.cjs); types and the library's other entry points
# are for the npm package, not the image.
RUN npm run build \
 && rm -rf dist/types dist/index.js dist/index.cjs dist/testcontainers.js dist/testcontainers.cjs \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && strip --strip-unneeded build/Release/better_sqlite3.node \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src binding.gyp \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/

FROM node:20-bookworm-slim
# The Testcontainers module (trackstar-sandbox/testcontainers) pins trackstar-sandbox:<this version>; keep it equal to
# package.json's (a test checks).
LABEL org.opencontainers.image.title="trackstar-sandbox" \
      org.opencontainers.image.description="A local, stateful, spec-faithful sandbox of Trackstar's cart inventory API" \
      org.opencontainers.image.source="https://github.com/trackstar-sandbox/trackstar-sandbox" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SANDBOX_DB=/data/sandbox.sqlite
WORKDIR /app
# The app finds package.json (its version), migrations/, fixtures/ and console/ above dist/; all stay root-owned
# and read-only for the `node` user, which writes only to /data.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY fixtures ./fixtures
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# No curl in the image: Node's fetch, on the configured PORT, with the admin token when the control plane needs one.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const t=process.env.SANDBOX_ADMIN_TOKEN;fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/_sandbox/health',{headers:t?{authorization:'Bearer '+t}:{}}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, so close-with-grace closes the database before exit 0.
# The same command as `npm start`: V8 flags that keep the heap from growing far past what the sandbox holds.
CMD ["node", "--max-semi-space-size=1", "--heap-growing-percent=10", "dist/bin/server.js"]
