#!/usr/bin/env bash
# Builds the Kafka image docker-compose.yml names (apache/kafka:<version>) locally, from the jars the test
# harness fetches from Maven Central (.cache/kafka/<version>/libs, libs/testing/src/kafka-jars.ts) and
# deploy/kafka/local-image/, FROM the local Debian image (base-image.sh). Tagged in local storage only.
# Reused while its inputs are unchanged (a key label); --rebuild ignores the existing image.
set -euo pipefail
source "$(dirname "$0")/common.sh"

rebuild=false
[ "${1:-}" = "--rebuild" ] && rebuild=true
image="$(compose_kafka_image)"
[ -n "$image" ] || { log "docker-compose.yml names no apache/kafka:<version> image"; exit 1; }
version="${image#apache/kafka:}"
tag="docker.io/$image"
podman image exists "$os_image" || { log "$os_image is missing: bash scripts/container/base-image.sh"; exit 1; }

node_bin="$(bash "$repo_root/scripts/node/node-bin-dir.sh")/node"
libs="$("$node_bin" "$repo_root/dist/libs/testing/src/cli/kafka-fetch.js" "$version" | sed -n "s/^Kafka $version: //p")"
[ -d "$libs" ] || { log "no Kafka $version jars (npm run kafka:fetch -- $version)"; exit 1; }

src="$repo_root/deploy/kafka/local-image"
key="$(content_key "$src/Containerfile" "$src/run" "$src/kafka-class.sh" "$src/config/log4j.properties" \
  "$src/config/tools-log4j.properties" "$(ls "$libs")" "$(podman image inspect --format '{{.Id}}' "$os_image")")"
if ! $rebuild && [ "$(image_label "$tag" sentiment.image-key)" = "$key" ]; then
  log "reusing $tag (key $key)"
  exit 0
fi

context="$(mktemp -d /var/tmp/sentiment-kafka-XXXXXX)"
trap 'rm -rf "$context"' EXIT
cp -r "$src/." "$context/"
mkdir "$context/libs"
cp "$libs"/*.jar "$context/libs/"
previous="$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
mkdir -p "$repo_root/.cache/container/logs"
build_log="$repo_root/.cache/container/logs/kafka.log"
build_kafka() {
  podman build "${podman_build_flags[@]}" --build-arg "OS_IMAGE=$os_image" --build-arg "KAFKA_VERSION=$version" \
    --label "sentiment.image-key=$key" -t "$tag" "$context" >"$build_log" 2>&1
}
if ! timed "kafka image ($tag)" build_kafka; then
  cat "$build_log" >&2
  exit 1
fi
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$tag")" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
log "built $tag from $libs ($(podman image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
