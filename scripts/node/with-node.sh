#!/usr/bin/env bash
# Runs a command with the pinned Node (.node-version) first on PATH, installing it if needed:
#   bash scripts/node/with-node.sh npm test
# npm itself is a Node script, so `npm` and everything it starts run on that Node too.
set -euo pipefail
bin="$(bash "$(dirname "$0")/node-bin-dir.sh")"
export PATH="$bin:$PATH"
exec "$@"
