#!/usr/bin/env bash
# Builds the worker image from this checkout's Dockerfile with podman, FROM the local Node base image
# (base-image.sh), in two variants:
#   vader   localhost/sentiment-worker:local       INCLUDE_MODEL=false; also the compose file's worker image
#   model   localhost/sentiment-worker:tiny-model  INCLUDE_MODEL=true: the model stage downloads the tiny
#           known-answer model (npm run model:tiny) from a local fake hub (fake-hub.ts) via HF_ENDPOINT, and
#           the build's --self-test --require-model loads it with onnxruntime
#
#   bash scripts/container/build-images.sh [vader|model|all]     (default all; needs dist/: npm run build)
#
# Build logs: .cache/container/logs/<variant>.log (printed when a build fails).
set -euo pipefail
source "$(dirname "$0")/common.sh"

what="${1:-all}"
case "$what" in vader | model | all) ;; *) echo "usage: $0 [vader|model|all]" >&2; exit 2 ;; esac
[ -f "$repo_root/dist/scripts/container/fake-hub.js" ] || { log "dist/ is missing: npm run build first"; exit 1; }
podman image exists "$node_image" || { log "$node_image is missing: bash scripts/container/base-image.sh"; exit 1; }

logs="$repo_root/.cache/container/logs"
mkdir -p "$logs"
mapfile -t trust < <(registry_trust_mounts)
node_bin="$(bash "$repo_root/scripts/node/node-bin-dir.sh")/node"

# podman build with the flags these machines need (common.sh), output in a log file.
build() {
  local variant="$1" tag="$2" previous
  shift 2
  previous="$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
  if ! podman build "${podman_build_flags[@]}" "${trust[@]}" --build-arg "NODE_IMAGE=$node_image" "$@" \
      -t "$tag" "$repo_root" >"$logs/$variant.log" 2>&1; then
    cat "$logs/$variant.log" >&2
    log "building $tag failed (log above, also in $logs/$variant.log)"
    return 1
  fi
  # The runtime stage's --self-test prints one JSON report; name the scorers that passed it.
  log "self-test in the build scored with: $(sed -n 's/^ *"model": "\([a-z-]*\)".*/\1/p' "$logs/$variant.log" | sort -u | paste -sd, -)"
  # A rebuilt tag leaves the previous image behind, untagged.
  if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$tag")" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
  log "built $tag ($(podman image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

if [ "$what" = vader ] || [ "$what" = all ]; then
  timed "worker image (INCLUDE_MODEL=false)" build vader "$worker_image" --build-arg INCLUDE_MODEL=false
fi

if [ "$what" = model ] || [ "$what" = all ]; then
  work="$(mktemp -d /var/tmp/sentiment-hub-XXXXXX)"
  hub_pid=""
  cleanup() {
    [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
    rm -rf "$work"
  }
  trap cleanup EXIT
  "$node_bin" "$repo_root/dist/scripts/model-tiny.js" "$work/tiny-model" >/dev/null
  # Not the hub's repo name, so the manifest's pinned hashes (for the real model) do not apply.
  repo="local/tiny-known-answer"
  revision="$("$node_bin" -p "require('$repo_root/libs/scoring/assets/model-manifest.json').revision")"
  "$node_bin" "$repo_root/dist/scripts/container/fake-hub.js" --dir "$work/tiny-model" --repo "$repo" --revision "$revision" \
    --url-file "$work/hub-url" >"$work/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 50); do [ -s "$work/hub-url" ] && break; sleep 0.1; done
  [ -s "$work/hub-url" ] || { cat "$work/hub.log" >&2; log "the fake hub did not start"; exit 1; }
  endpoint="$(cat "$work/hub-url")"
  log "fake hub at $endpoint serves the tiny model as $repo@$revision"
  timed "worker image with model (INCLUDE_MODEL=true, tiny model from the fake hub)" build model "$model_image" \
    --build-arg INCLUDE_MODEL=true --build-arg "HF_ENDPOINT=$endpoint" --build-arg "MODEL_REPO=$repo"
  grep -E ' -> ' "$work/hub.log" | sed 's/^/  | /' >&2
fi
