#!/usr/bin/env bash
# Prints the directory of a `node` binary of the version pinned in .node-version (the one the image
# ships and CI tests). The machine's own node is used when it is that exact version; otherwise the
# binary comes from the npm registry's node-linux-<arch> package (npm checks its integrity against
# the registry's metadata), unpacked once into the git-ignored .cache/node/<version>/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
version="$(tr -d ' \n\r' < "$root/.node-version")"
if command -v node >/dev/null 2>&1 && [ "$(node --version)" = "v$version" ]; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node-bin-dir: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
dest="$root/.cache/node/$version"
if [ ! -x "$dest/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "node-bin-dir: installing Node $version from the npm registry (node-linux-$arch@$version)" >&2
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
  tar -xzf "$tmp"/node-linux-"$arch"-"$version".tgz -C "$tmp" package/bin/node package/LICENSE
  mkdir -p "$dest/bin"
  mv "$tmp/package/LICENSE" "$dest/LICENSE"
  mv "$tmp/package/bin/node" "$dest/bin/node"
fi
"$dest/bin/node" --version >/dev/null
echo "$dest/bin"
