#!/usr/bin/env bash
# Dev-only: `npm run model:hub-export [-- --model-dir DIR --out DIR]`. Makes the venv of pinned export
# tools (setup-export-venv.sh, ~3 GB with torch's CUDA wheels, once) and runs hub-style-export.py;
# defaults: the generated model in .cache/models/roberta-base-random (npm run model:full -- --dtype fp32)
# into .cache/models/roberta-base-random-hub. npm run bench:model does this on its own when needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
python="$(bash "$root/scripts/dev/setup-export-venv.sh")"
if [ "$#" -eq 0 ]; then
  set -- --model-dir "$root/.cache/models/roberta-base-random" --out "$root/.cache/models/roberta-base-random-hub"
fi
exec "$python" "$root/scripts/dev/hub-style-export.py" "$@"
