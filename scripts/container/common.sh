# Sourced by the scripts in scripts/container/: image names, podman settings, small helpers.
# One place for every tag and flag, so the build, the tests and the docs name the same things.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
container_dir="$repo_root/scripts/container"

# Podman reads only this file (not /etc/containers/containers.conf): runc instead of crun, ulimits
# the container may set without CAP_SYS_RESOURCE. See containers.conf for why.
export CONTAINERS_CONF="$container_dir/containers.conf"

node_version="$(tr -d ' \n\r' < "$repo_root/.node-version")"
# The npm that goes into the local Node base image. Node 26 bundles npm 11 (26.11.0: 11.20.0, per
# nodejs.org's release index); the official node:<version>-bookworm-slim carries its release's own.
npm_version="11.20.0"

# Local images. Nothing here is pushed anywhere; localhost/ keeps them apart from registry names.
os_image="localhost/sentiment-ci/bookworm-minbase:latest"
node_image="localhost/sentiment-ci/node:${node_version}-bookworm-minbase"
# The compose file's worker image name, so podman-compose finds it without building.
worker_image="localhost/sentiment-worker:local"
model_image="localhost/sentiment-worker:tiny-model"

# The Kafka image the compose file names (apache/kafka:<version>), built locally from the harness's jars.
compose_kafka_image() {
  sed -n 's/^[[:space:]]*image:[[:space:]]*\(apache\/kafka:[0-9.]*\)[[:space:]]*$/\1/p' "$repo_root/docker-compose.yml" | head -n 1
}

log() { printf '[container] %s\n' "$*" >&2; }

# Runs a command and logs how long it took: `timed "worker image" podman build ...`.
timed() {
  local what="$1" start rc=0
  shift
  start=$(date +%s.%N)
  "$@" || rc=$?
  log "$what: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')$([ $rc -eq 0 ] || echo " (failed, exit $rc)")"
  return $rc
}

image_label() {
  podman image inspect --format "{{ index .Labels \"$2\" }}" "$1" 2>/dev/null || true
}

# A key for "this image was built from exactly these inputs": sha256 of the files and strings given.
content_key() {
  local part
  for part in "$@"; do
    if [ -f "$part" ]; then sha256sum "$part"; else printf '%s\n' "$part"; fi
  done | sha256sum | cut -c1-16
}

# Build flags every image needs on these machines:
#   --format docker   the OCI image format has no HEALTHCHECK field: podman's default (oci) drops the
#                     Dockerfile's HEALTHCHECK with a warning, and `podman healthcheck run` then finds none.
#                     The Docker (v2s2) format keeps it, as `docker build` does.
#   --isolation chroot no nested namespaces/cgroups for RUN steps (this machine cannot create them)
#   --network host     RUN steps reach the npm registry, Debian and the local fake hub through the host
podman_build_flags=(--format docker --isolation chroot --network host)

# When the TLS connection to the npm registry is intercepted (a proxy re-signs it with its own CA),
# Node's bundled CA list rejects it (SELF_SIGNED_CERT_IN_CHAIN). Then the build gets the host's CA
# bundle and an npmrc naming it, both read-only, for its RUN steps only: nothing lands in a layer.
registry_trust_mounts() {
  local node_bin npmrc
  node_bin="$(bash "$repo_root/scripts/node/node-bin-dir.sh")/node"
  if env -u NODE_EXTRA_CA_CERTS "$node_bin" -e "fetch('https://registry.npmjs.org/npm', { method: 'HEAD' }).then(() => process.exit(0), () => process.exit(1))"; then
    return 0
  fi
  local bundle=/etc/ssl/certs/ca-certificates.crt
  if [ ! -f "$bundle" ]; then
    log "the npm registry's certificate is not trusted by Node and $bundle does not exist: cannot build" && return 1
  fi
  npmrc="$repo_root/.cache/container/npmrc"
  mkdir -p "$(dirname "$npmrc")"
  printf 'cafile=%s\n' "$bundle" > "$npmrc"
  log "npm registry connection is intercepted: the build trusts the host's CA bundle ($bundle)"
  # /usr/local/etc/npmrc is npm's global config for a Node installed under /usr/local, as in the images.
  printf '%s\n' -v "$bundle:$bundle:ro" -v "$npmrc:/usr/local/etc/npmrc:ro"
}
