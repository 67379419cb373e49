#!/usr/bin/env bash
# Finds or builds the Pulumi CLI that `npm run test:cli` drives, and prints the folder to put first on PATH.
#
#   - A `pulumi` already on PATH with its `pulumi-language-nodejs` beside it is used as it is (users who have the
#     CLI skip the build). KUBE_API_GUARD_BUILD_PULUMI=1 builds anyway.
#   - Otherwise the CLI is built from the Go module proxy at the @pulumi/pulumi version of package-lock.json
#     (`go build` of github.com/pulumi/pulumi/pkg/v3/cmd/pulumi from the small module in scripts/pulumi-cli/go:
#     `go install ...@version` is refused because pkg/v3's go.mod has replace lines), together with our Node.js
#     language host (scripts/pulumi-cli/go/langhost: Pulumi's own is a separate module the proxy does not serve)
#     and the `pulumi-analyzer-policy` script, into ${XDG_CACHE_HOME:-~/.cache}/kube-api-guard/pulumi-<version>/bin.
#     Later runs reuse them while the module files and the Go version are unchanged. Go's own module and build
#     caches (GOMODCACHE, GOCACHE) keep their usual places, so a rebuild after a change is incremental.
# The first build takes long on a 2-core machine; its duration is written to build-seconds.txt beside bin/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MOD="$ROOT/scripts/pulumi-cli/go"
log() { echo "pulumi-cli: $*" >&2; }

VERSION="$(node -p "require('$ROOT/package-lock.json').packages['node_modules/@pulumi/pulumi'].version")"
if ! grep -q "github.com/pulumi/pulumi/pkg/v3 v$VERSION\$" "$MOD/go.mod"; then
    log "scripts/pulumi-cli/go/go.mod does not require pkg/v3 v$VERSION (the @pulumi/pulumi version of package-lock.json):"
    log "update it with: cd scripts/pulumi-cli/go && go get github.com/pulumi/pulumi/pkg/v3@v$VERSION github.com/pulumi/pulumi/sdk/v3@v$VERSION && go mod tidy"
    exit 1
fi

if [ -z "${KUBE_API_GUARD_BUILD_PULUMI:-}" ] && command -v pulumi >/dev/null 2>&1; then
    dir="$(dirname "$(command -v pulumi)")"
    if [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
        log "using $(command -v pulumi) ($(pulumi version 2>/dev/null || echo '?'))"
        echo "$dir"
        exit 0
    fi
    log "$(command -v pulumi) has no pulumi-language-nodejs beside it; building one"
fi

CACHE="${KUBE_API_GUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-api-guard}/pulumi-$VERSION"
BIN="$CACHE/bin"
mkdir -p "$CACHE"
if ! command -v go >/dev/null 2>&1; then
    log "no pulumi on PATH and no Go toolchain to build it: install Go 1.26 or the Pulumi CLI v$VERSION"
    exit 1
fi
stamp="$( (go version; cat "$MOD/go.mod" "$MOD/go.sum" "$MOD/langhost/main.go" "$0") | sha256sum | cut -c1-16)"

exec 9>"$CACHE/.lock"
flock 9
if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] && [ "$(cat "$BIN/.stamp" 2>/dev/null)" = "$stamp" ]; then
    log "reusing $BIN (v$VERSION)"
    echo "$BIN"
    exit 0
fi

log "building the Pulumi CLI v$VERSION and the Node.js language host into $BIN (the first build takes long)"
tmp="$CACHE/bin.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
start=$(date +%s)
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION"
(
    cd "$MOD"
    nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$tmp/pulumi-language-nodejs" ./langhost
)
# The analyzer plugin of `runtime: nodejs` policy packs, as the Pulumi distribution ships it. (Pulumi 3.248 starts
# Node.js packs through the language host's RunPlugin when one is installed, and this script otherwise.)
cat > "$tmp/pulumi-analyzer-policy" <<'EOF'
#!/bin/sh
exec node "$(node -p 'require.resolve("@pulumi/pulumi/cmd/run-policy-pack")')" "$@"
EOF
chmod +x "$tmp/pulumi-analyzer-policy"
echo "$stamp" > "$tmp/.stamp"
rm -rf "$BIN"
mv "$tmp" "$BIN"
seconds=$(( $(date +%s) - start ))
echo "$seconds" > "$CACHE/build-seconds.txt"
log "built in ${seconds}s: $("$BIN/pulumi" version)"
echo "$BIN"
