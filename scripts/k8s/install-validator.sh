#!/usr/bin/env bash
# Installs the tools that validate deploy/kubernetes offline, into .cache/k8s-tools/bin (git-ignored):
#   kustomize    renders the kustomizations (what `kubectl apply -k` would apply)
#   kubeconform  checks every rendered object against the JSON schemas vendored in
#                services/sentiment-worker/test/deploy/kubernetes-schemas (no download when it runs)
# Both are built from source with `go install` through the Go module proxy. Idempotent: a tool whose
# pinned version is already there is skipped. Needs Go; a Go older than the tools need (1.24) is
# bridged with the toolchain the Go proxy serves (GOTOOLCHAIN=auto from Go 1.21, the
# golang.org/toolchain module by hand before that).
#   bash scripts/k8s/install-validator.sh        # prints the bin directory at the end
set -euo pipefail
cd "$(dirname "$0")/../.."

KUBECONFORM_VERSION=v0.7.0
KUSTOMIZE_VERSION=v5.8.1
# The Go release both tools' go.mod files accept; used only when the installed Go is older.
BRIDGE_GO=1.24.13

BIN="${K8S_TOOLS_BIN:-$PWD/.cache/k8s-tools/bin}"
mkdir -p "$BIN"

[ -x /usr/local/go/bin/go ] && ! command -v go >/dev/null 2>&1 && export PATH="/usr/local/go/bin:$PATH"
if ! command -v go >/dev/null 2>&1; then
  echo "install-validator: go not found. Debian: apt-get install golang-go (or https://go.dev/dl)." >&2
  exit 1
fi

installed() { [ -x "$BIN/$1" ] && [ "$(cat "$BIN/.$1.version" 2>/dev/null)" = "$2" ]; }

if installed kubeconform "$KUBECONFORM_VERSION" && installed kustomize "$KUSTOMIZE_VERSION"; then
  echo "kubeconform $KUBECONFORM_VERSION and kustomize $KUSTOMIZE_VERSION already in $BIN"
  echo "$BIN"
  exit 0
fi

GO=go
# go version -> "1.19.8" (or "1.24" for a .0 release)
go_release="$(go env GOVERSION | sed 's/^go//; s/[^0-9.].*$//')"
go_minor="$(echo "$go_release" | cut -d. -f2)"
if [ "$go_minor" -lt 21 ]; then
  # No GOTOOLCHAIN switching before 1.21: fetch the newer toolchain as the module it is on the proxy.
  arch="$(go env GOARCH)"; os="$(go env GOOS)"
  dir="$(GOFLAGS=-mod=mod GO111MODULE=on go mod download -json "golang.org/toolchain@v0.0.1-go${BRIDGE_GO}.${os}-${arch}" | sed -n 's/^\s*"Dir": "\(.*\)",*$/\1/p')"
  GO="$dir/bin/go"
  # The module cache keeps files read-only, executables included.
  chmod +x "$GO" "$dir/pkg/tool/"*/* 2>/dev/null || true
  export GOTOOLCHAIN=local
  echo "install-validator: Go $go_release is too old; building with Go $BRIDGE_GO from the module proxy"
else
  # A go.mod asking for a newer Go makes `go install` fetch that toolchain from the proxy.
  export GOTOOLCHAIN="${GOTOOLCHAIN_OVERRIDE:-auto}"
fi

export GOBIN="$BIN" GOFLAGS=-mod=mod
install_tool() {
  local name="$1" package="$2" version="$3"
  if installed "$name" "$version"; then
    echo "$name $version already in $BIN"
    return
  fi
  "$GO" install "$package@$version"
  echo "$version" > "$BIN/.$name.version"
  echo "installed $name $version into $BIN"
}
install_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
install_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
echo "$BIN"
