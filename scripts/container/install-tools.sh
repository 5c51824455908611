#!/usr/bin/env bash
# Installs what the container tests need, skipping what is already there:
#   Debian: podman (4.3 in bookworm), runc (crun fails on these machines' cgroup layout), debootstrap
#           (the local base image), netavark + aardvark-dns (compose networks with service names),
#           iptables (netavark's firewall driver), uidmap
#   PyPI:   podman-compose, pinned, into a virtualenv at .cache/container/podman-compose
# Prints nothing else on stdout; the path of podman-compose is $(bash scripts/container/install-tools.sh --compose-path).
set -euo pipefail
source "$(dirname "$0")/common.sh"

podman_compose_version="1.6.0"
venv="$repo_root/.cache/container/podman-compose-$podman_compose_version"

if [ "${1:-}" = "--compose-path" ]; then
  echo "$venv/bin/podman-compose"
  exit 0
fi

need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
[ -x /usr/lib/podman/netavark ] || command -v netavark >/dev/null 2>&1 || need+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || command -v aardvark-dns >/dev/null 2>&1 || need+=(aardvark-dns)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v newuidmap >/dev/null 2>&1 || need+=(uidmap)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  log "installing ${need[*]} (apt)"
  $SUDO apt-get update -qq
  # No recommends: they would bring crun, buildah and fuse-overlayfs, none of which is used.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -x "$venv/bin/podman-compose" ]; then
  log "installing podman-compose $podman_compose_version (PyPI) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "podman-compose==$podman_compose_version"
fi
