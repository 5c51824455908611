#!/usr/bin/env bash
# Runs the integration tests once per Kafka broker version (jars are fetched on first use).
# Usage: scripts/kafka-versions.sh [version ...]   (default: 3.9.1 and the newest 4.x verified)
#        npm run test:int:versions -- 4.1.1
# Extra jest arguments: JEST_ARGS="dist/libs/testing" scripts/kafka-versions.sh
set -uo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(3.9.1 4.4.0)

npx tsc -b || echo "tsc reported errors (it still emits); running the tests anyway" >&2
failed=()
for v in "${versions[@]}"; do
  echo "=== Kafka $v ==="
  # An external broker would defeat the point: each run starts its own.
  if ! env -u KAFKA_TEST_BOOTSTRAP KAFKA_VERSION="$v" npx jest ${JEST_ARGS:-} --selectProjects integration; then
    failed+=("$v")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "integration tests failed on Kafka: ${failed[*]}" >&2
  exit 1
fi
echo "integration tests passed on Kafka: ${versions[*]}"
