#!/usr/bin/env bash
# Dev-only: a Python venv under .cache/ (git-ignored) with the pinned export tools of
# scripts/dev/export-requirements.txt. Idempotent; prints the venv's python on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.cache/pyexport"
req="$root/scripts/dev/export-requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --disable-pip-version-check --quiet -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
