#!/usr/bin/env bash
# Builds the Pulumi CLI from its published Go modules, once, at one pinned version,
# into a folder outside the repository, and reuses it on later runs.
#
#   scripts/pulumi-cli.sh          -> prints `pulumi version`, last line = the bin folder
#
# Env:
#   ELB_HEALTH_PULUMI_VERSION  pinned version (default v3.276.0)
#   ELB_HEALTH_PULUMI_DIR      build folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/huaweicloud-elb-health/pulumi-<version>)
#
# Only the Go module proxy is used (no other downloads). The Node.js language host module
# (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the
# proxy, so the test suite uses the stand-in in test/stand-in/language-nodejs instead; see
# docs/real-engine.md.
set -euo pipefail

V="${ELB_HEALTH_PULUMI_VERSION:-v3.276.0}"
DIR="${ELB_HEALTH_PULUMI_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/huaweicloud-elb-health/pulumi-$V}"
BIN="$DIR/bin"

if ! command -v go >/dev/null 2>&1; then
  echo "pulumi-cli.sh: Go is not installed (need Go >= 1.25 on PATH to build the Pulumi CLI $V)" >&2
  exit 2
fi

log() { echo "pulumi-cli.sh: $*" >&2; }

if [ ! -x "$BIN/pulumi" ] || [ "$("$BIN/pulumi" version 2>/dev/null || true)" != "$V" ]; then
  start=$(date +%s)
  log "building pulumi $V into $DIR (first build takes several minutes)"
  SRC="$DIR/src"
  mkdir -p "$SRC" "$BIN"
  cd "$SRC"
  cat > go.mod <<EOG
module local/pulumibuild

go 1.25
EOG
  # Fetch the two modules' go.mod files and copy their non-local replace lines.
  MODCACHE="$(go env GOMODCACHE)"
  go mod download -json "github.com/pulumi/pulumi/pkg/v3@$V" "github.com/pulumi/pulumi/sdk/v3@$V" >/dev/null
  for m in pkg sdk; do
    f="$MODCACHE/cache/download/github.com/pulumi/pulumi/$m/v3/@v/$V.mod"
    # single-line form: replace a => b vX ; block form: replace ( ... )
    awk '
      /^replace \(/ { inblock=1; next }
      inblock && /^\)/ { inblock=0; next }
      inblock { print "replace " $0; next }
      /^replace / { print }
    ' "$f" | grep -v '=> *\.' | sed 's/^replace  */replace /' >> go.mod.replaces || true
  done
  sort -u go.mod.replaces >> go.mod
  rm -f go.mod.replaces
  cat > tools.go <<'EOG'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOG
  go get "github.com/pulumi/pulumi/pkg/v3@$V" "github.com/pulumi/pulumi/sdk/v3@$V" >&2
  go mod tidy -e >&2 || true
  got="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3) $(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)"
  if [ "$got" != "$V $V" ]; then
    log "resolved pkg/sdk versions '$got', wanted '$V $V'"; exit 1
  fi
  CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$V" \
    -o "$BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  log "built in $(( $(date +%s) - start )) s"
fi

"$BIN/pulumi" version
echo "$BIN"
