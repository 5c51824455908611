#!/usr/bin/env bash
# npm run test:container: builds the images from this checkout and tests them for real, with podman
# (Debian bookworm's 4.3, rootful; no Docker engine or Docker Hub needed). Stages, each timed in the log:
#   1. tools         podman, runc, debootstrap, podman-compose (install-tools.sh; skips what is there)
#   2. base images   Debian minbase + the Node of .node-version (base-image.sh; reused while unchanged)
#   3. build         npm run build (the tests, the fake hub and model:tiny run from dist/)
#   4. worker images INCLUDE_MODEL=false, and INCLUDE_MODEL=true with the tiny model from a fake hub (build-images.sh)
#   5. kafka image   apache/kafka:<compose's version> from the harness's Maven jars (kafka-image.sh; reused while unchanged)
#   6. tests         services/sentiment-worker/test/container/*.container-test.ts against the harness broker,
#                    then the compose stack (podman-compose + deploy/compose/podman-test.override.yml)
# Afterwards the worker images and their build layers are removed; the base and Kafka images stay as a
# cache (nothing relies on it).
#
#   bash scripts/container/container-test.sh [--no-compose] [--keep-images] [--rebuild-base]
set -euo pipefail
source "$(dirname "$0")/common.sh"

compose=true
keep=false
rebuild=()
for arg in "$@"; do
  case "$arg" in
    --no-compose) compose=false ;;
    --keep-images) keep=true ;;
    --rebuild-base) rebuild=(--rebuild) ;;
    *) echo "usage: $0 [--no-compose] [--keep-images] [--rebuild-base]" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then
  log "needs root: rootful podman (host network for the harness broker, the containers' processes in /proc)"
  exit 1
fi
# Container names, the compose project and its host ports are machine-wide: one run at a time.
exec 9>/tmp/sentiment-container-test.lock
flock -w 1800 9 || { log "another container test holds /tmp/sentiment-container-test.lock"; exit 1; }

cd "$repo_root"
[ -d node_modules ] || { log "node_modules is missing: npm ci first (the tests run on the host from dist/)"; exit 1; }
total_start=$(date +%s)
cleanup() {
  if ! $keep; then
    podman rmi --force "$worker_image" "$model_image" >/dev/null 2>&1 || true
    # Build layers of those images: untagged images derived from our base (they inherit its label).
    podman image prune --force --filter label=sentiment.base-key >/dev/null 2>&1 || true
  fi
  log "total: $(( $(date +%s) - total_start )) s; podman storage now $(du -sh /var/lib/containers/storage 2>/dev/null | cut -f1)"
}
trap cleanup EXIT

timed "1. tools" bash "$container_dir/install-tools.sh"
timed "2. base images" bash "$container_dir/base-image.sh" "${rebuild[@]}"
export PATH="$(bash scripts/node/node-bin-dir.sh):$PATH"
timed "3. build (tsc -b)" npx tsc -b
timed "4. worker images" bash "$container_dir/build-images.sh" all
if $compose; then
  timed "5. kafka image" bash "$container_dir/kafka-image.sh" "${rebuild[@]}"
fi

export CONTAINER_TEST_WORKER_IMAGE="$worker_image"
export CONTAINER_TEST_MODEL_IMAGE="$model_image"
export CONTAINER_TEST_PODMAN_COMPOSE="$(bash "$container_dir/install-tools.sh" --compose-path)"
tests_dir=dist/services/sentiment-worker/test/container
tests=("$tests_dir/worker-image.container-test.js" "$tests_dir/model-image.container-test.js")
$compose && tests+=("$tests_dir/compose-stack.container-test.js")
timed "6. container tests" npx jest -c "$tests_dir/jest.config.js" --runTestsByPath "${tests[@]}"
