#!/usr/bin/env bash
# Builds the two local base images the container tests start from (no Docker Hub needed):
#   localhost/sentiment-ci/bookworm-minbase   `debootstrap --variant=minbase bookworm`, imported with `podman import`
#   localhost/sentiment-ci/node:<.node-version>-bookworm-minbase
#                                             that + Node from the npm registry's node-linux-<arch> package
#                                             (the binary CI runs: scripts/node/node-bin-dir.sh) + npm + the
#                                             `node` user (uid 1000): node-base.Containerfile
# Each image carries a key of its inputs and is reused while the key matches (the OS image is refreshed
# weekly, for Debian's updates). --rebuild ignores existing images.
set -euo pipefail
source "$(dirname "$0")/common.sh"

rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

work="$(mktemp -d /var/tmp/sentiment-base-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# --- the OS image --------------------------------------------------------------------------------
os_key="$(content_key "debootstrap minbase bookworm libatomic1 $mirror" "$(date -u +%G-W%V)")"
if ! $rebuild && [ "$(image_label "$os_image" sentiment.base-key)" = "$os_key" ]; then
  log "reusing $os_image (key $os_key)"
else
  command -v debootstrap >/dev/null || { log "debootstrap is missing: bash scripts/container/install-tools.sh"; exit 1; }
  log "debootstrap --variant=minbase bookworm ($mirror)"
  # libatomic1: Node's binary links it (the official image keeps it for the same reason).
  timed "debootstrap" bash -c 'debootstrap --variant=minbase --include=libatomic1 bookworm "$1" "$2" >"$3" 2>&1' \
    _ "$work/rootfs" "$mirror" "$work/debootstrap.log" || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  # The package cache and lists are rebuilt by whoever runs apt-get update; they only add 80 MB.
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/log/*.log
  timed "podman import" bash -c 'tar -C "$1" -c . | podman import --quiet \
      --change "LABEL sentiment.base-key=$2" --change "CMD [\"bash\"]" - "$3" >/dev/null' _ "$work/rootfs" "$os_key" "$os_image"
  rm -rf "$work/rootfs"
fi

# --- the Node image ------------------------------------------------------------------------------
os_id="$(podman image inspect --format '{{.Id}}' "$os_image")"
node_key="$(content_key "$container_dir/node-base.Containerfile" "$node_version" "$npm_version" "$os_id")"
if ! $rebuild && [ "$(image_label "$node_image" sentiment.base-key)" = "$node_key" ]; then
  log "reusing $node_image (key $node_key)"
  exit 0
fi
context="$work/node-context"
mkdir -p "$context"
cp "$(bash "$repo_root/scripts/node/node-bin-dir.sh")/node" "$context/node"
(cd "$work" && bash "$repo_root/scripts/node/with-node.sh" npm pack --silent "npm@$npm_version" >/dev/null)
tar -xzf "$work/npm-$npm_version.tgz" -C "$work"
mv "$work/package" "$context/npm"
timed "node base image" podman build --quiet "${podman_build_flags[@]}" \
  -f "$container_dir/node-base.Containerfile" \
  --build-arg "OS_IMAGE=$os_image" --build-arg "NODE_VERSION=$node_version" --build-arg "NPM_VERSION=$npm_version" \
  --label "sentiment.base-key=$node_key" -t "$node_image" "$context" >/dev/null
log "built $node_image (Node $node_version, npm $npm_version)"
