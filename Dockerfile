# syntax=docker/dockerfile:1
#
# Sentiment worker image. Three stages:
#   build   - full dependency tree, `npm run build` (tsc) into dist/
#   model   - optionally downloads the ONNX model from the Hugging Face hub into /models
#   runtime - production dependencies only, dist/, the data files the code reads at run time,
#             the model; smoke-tested with --self-test during the build
#
#   docker build -t sentiment-worker .
#   docker build --build-arg INCLUDE_MODEL=false -t sentiment-worker:vader .   # no model: VADER only,
#                                                                              # or mount one at $MODEL_DIR
#   podman build --format docker ...                                           # podman/buildah: see HEALTHCHECK
#
# Built and run for real by `npm run test:container` (scripts/container/, docs/operations.md).
#
# Base image: Debian bookworm (glibc), not Alpine. onnxruntime-node ships its prebuilt
# libonnxruntime.so for glibc only; on musl it fails to load, and so do the glibc builds of the
# napi-rs codecs (snappy, lz4, zstd) picked from the lockfile. The tag pins the Node release the
# repo is tested with (.node-version, package.json engines, @types/node 26); pin it by digest too for
# reproducible production builds (docker buildx imagetools inspect node:<tag>).
ARG NODE_IMAGE=node:26.12.1-bookworm-slim

########################################################################################################
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first so the dependency layer is cached until package*.json changes. npm workspaces
# need every workspace's package.json (and the libs' entry.js, which the symlinks point at).
COPY package.json package-lock.json .npmrc ./
COPY libs/config/package.json libs/config/entry.js libs/config/
COPY libs/errors/package.json libs/errors/entry.js libs/errors/
COPY libs/events/package.json libs/events/entry.js libs/events/
COPY libs/http/package.json libs/http/entry.js libs/http/
COPY libs/kafka/package.json libs/kafka/entry.js libs/kafka/
COPY libs/observability/package.json libs/observability/entry.js libs/observability/
COPY libs/onnx-builder/package.json libs/onnx-builder/entry.js libs/onnx-builder/
COPY libs/schema-registry/package.json libs/schema-registry/entry.js libs/schema-registry/
COPY libs/scoring/package.json libs/scoring/entry.js libs/scoring/
COPY libs/testing/package.json libs/testing/entry.js libs/testing/
COPY services/sentiment-worker/package.json services/sentiment-worker/
COPY patches patches
# The base image's own npm (the one its Node release bundles, npm 11 for Node 26) installs the lockfile.
# --ignore-scripts: no dependency needs its install script. onnxruntime-node's only downloads
# optional CUDA libraries (its CPU binaries are inside the npm package; .npmrc skips it as well),
# protobufjs' only checks its CLI's versions. It also skips our own postinstall, so the Kafka
# clients' patches (patches/*.patch, docs/dependencies.md) are applied explicitly: without them
# the worker refuses to start (KAFKA_CLIENT_UNPATCHED).
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npx --no-install patch-package --error-on-fail
COPY tsconfig.json ./
COPY libs libs
COPY services services
COPY scripts scripts
# Tests and benchmarks are not part of the image (.dockerignore keeps most of them out already).
RUN npm run build \
 && rm -rf dist/bench dist/libs/*/test dist/services/*/test \
 && find dist -name '*.test.js' -delete -o -name '*.test.js.map' -delete

########################################################################################################
FROM build AS model
# INCLUDE_MODEL=false builds a VADER-only image (or one that gets the model from a volume).
ARG INCLUDE_MODEL=true
ARG MODEL_REPO=onnx-community/twitter-roberta-base-sentiment-ONNX
# Empty: the revision pinned (with file hashes) in libs/scoring/assets/model-manifest.json. Another
# value (a commit hash for a reproducible image, or a branch) downloads without pinned hashes.
ARG MODEL_REVISION=
ARG MODEL_FILE=model_quantized.onnx
# true: model:download also writes onnx/<name>_optimized.onnx, the export with onnxruntime's fusions
# saved and its logits checked against the plain export (docs/model.md), which the worker loads
# first; the plain file stays as its fallback. false: the plain export only.
ARG MODEL_PREPARE=true
# Where the files come from. Empty: the Hugging Face hub (scripts/model-download's default). A mirror's
# URL, or the local fake hub the container test serves the tiny model from (scripts/container/fake-hub.ts).
ARG HF_ENDPOINT=
ENV MODEL_DIR=/models/twitter-roberta-base-sentiment
# The build args are environment variables of this RUN: scripts/model-download reads MODEL_REPO,
# MODEL_REVISION, MODEL_FILE, MODEL_PREPARE, HF_ENDPOINT and MODEL_DIR, and checks the manifest's SHA-256 hashes.
RUN mkdir -p "$MODEL_DIR" \
 && if [ "$INCLUDE_MODEL" = "true" ]; then \
      if [ -z "$MODEL_REVISION" ]; then unset MODEL_REVISION; fi; \
      npm run model:download; \
    elif [ "$INCLUDE_MODEL" != "false" ]; then \
      echo "INCLUDE_MODEL must be true or false (got $INCLUDE_MODEL)" >&2; exit 1; \
    fi

########################################################################################################
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (which drains, commits and leaves the group) and reaps
# zombies. Node as PID 1 would get no default signal handlers.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini=0.19.0-1+b3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
COPY libs/config/package.json libs/config/entry.js libs/config/
COPY libs/errors/package.json libs/errors/entry.js libs/errors/
COPY libs/events/package.json libs/events/entry.js libs/events/
COPY libs/http/package.json libs/http/entry.js libs/http/
COPY libs/kafka/package.json libs/kafka/entry.js libs/kafka/
COPY libs/observability/package.json libs/observability/entry.js libs/observability/
COPY libs/onnx-builder/package.json libs/onnx-builder/entry.js libs/onnx-builder/
COPY libs/schema-registry/package.json libs/schema-registry/entry.js libs/schema-registry/
COPY libs/scoring/package.json libs/scoring/entry.js libs/scoring/
COPY libs/testing/package.json libs/testing/entry.js libs/testing/
COPY services/sentiment-worker/package.json services/sentiment-worker/
COPY patches patches
# onnxruntime-node carries every platform's binaries (~290 MB): keep only linux/<this arch> (~45 MB).
# patch-package is a runtime dependency so the Kafka clients' patches apply here too.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npx --no-install patch-package --error-on-fail \
 && npm cache clean --force \
 && find node_modules/onnxruntime-node/bin -mindepth 2 -maxdepth 2 -type d ! -name linux -exec rm -rf {} + \
 && find node_modules/onnxruntime-node/bin/*/linux -mindepth 1 -maxdepth 1 -type d ! -name "$(node -p process.arch)" -exec rm -rf {} +
COPY --from=build /app/dist ./dist
# Read at run time from the source tree, next to dist/: VADER lexicons and the RoBERTa tokenizer files.
COPY libs/scoring/data libs/scoring/data
COPY libs/scoring/assets libs/scoring/assets
# For the compose `producer` service (node dist/scripts/produce.js samples/calls.jsonl).
COPY samples samples
COPY --from=model /models /models
ENV MODEL_DIR=/models/twitter-roberta-base-sentiment \
    PORT=8080 \
    HOST=0.0.0.0

# Non-root: the image's built-in `node` user, by uid so Kubernetes' runAsNonRoot can verify it.
# Nothing under /app is written at run time.
USER 1000:1000
# A broken image fails here instead of in production: VADER must score, and RoBERTa too when the
# model was included (native onnxruntime binding, tokenizer assets, model files all present).
ARG INCLUDE_MODEL=true
RUN if [ "$INCLUDE_MODEL" = "true" ]; then \
      node dist/services/sentiment-worker/src/main.js --self-test --require-model; \
    else \
      node dist/services/sentiment-worker/src/main.js --self-test; \
    fi

EXPOSE 8080
# Liveness only: /health answers 503 just when the worker is fatally broken. No curl in -slim: node's fetch.
# Only the Docker image format has a field for this: `docker build` keeps it, but podman and buildah write
# OCI images by default, whose config cannot hold a healthcheck, and drop it with a warning. Build with
# `podman build --format docker` (as scripts/container/build-images.sh does) or the image has no HEALTHCHECK
# and `podman healthcheck run` / compose's service_healthy have nothing to run.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/services/sentiment-worker/src/main.js"]
